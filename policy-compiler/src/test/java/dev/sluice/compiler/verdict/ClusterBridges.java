package dev.sluice.compiler.verdict;

import dev.sluice.compiler.cluster.Ipv4;
import dev.sluice.compiler.cluster.MacAddress;
import dev.sluice.compiler.cluster.NodeInfo;
import dev.sluice.compiler.compile.CompiledCluster;
import dev.sluice.compiler.compile.NodeFlows;
import dev.sluice.compiler.compile.PortMap;
import dev.sluice.compiler.flow.Flow;
import dev.sluice.compiler.flow.FlowText;
import dev.sluice.compiler.flow.Match;
import dev.sluice.compiler.flow.MatchField;
import dev.sluice.compiler.pipeline.Marks;
import dev.sluice.compiler.sim.CtNext;
import dev.sluice.compiler.sim.Microflow;
import dev.sluice.compiler.sim.Packet;
import dev.sluice.compiler.sim.Simulator;
import dev.sluice.compiler.sim.Trace;
import dev.sluice.compiler.sim.Verdict;
import dev.sluice.testkit.ovs.OvsNode;
import dev.sluice.testkit.ovs.TraceResult;
import dev.sluice.testkit.ovs.UnixctlConnection;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * A compiled cluster twice over: on real bridges (one {@link OvsNode} per Kubernetes node, dummy
 * datapath, {@code br-int} with {@code antrea-tun0}, {@code antrea-gw0} and one port per pod at the
 * OpenFlow port number of the compiled {@link PortMap}, plus Antrea's Geneve TLV map) and in
 * Sluice's {@link Simulator}, one per node. A {@link Walk} follows a packet from the bridge it
 * enters to where it ends: when a node outputs it to {@code antrea-tun0} with the {@code tun_dst}
 * of another node, the packet as it left (OVS's "Final flow", the simulator's output packet) is
 * traced again on that node's bridge, arriving on {@code antrea-tun0} with {@code tun_src} = the
 * sending node's InternalIP. Every trace runs with {@code --ct-next trk,new}: a new connection.
 *
 * <p>The bridges are built once; {@link #load} replaces all flows in one bundle per bridge, so one
 * pair of nodes serves many scenarios (the pods, and so the port numbers, must not change).
 */
final class ClusterBridges implements AutoCloseable {
  static final String BRIDGE = "br-int";
  private static final String CT_NEW = "trk,new";
  private static final int MAX_HOPS = 4;

  private final Map<String, NodeInfo> nodes = new LinkedHashMap<>();
  private final Map<String, PortMap> ports = new LinkedHashMap<>();
  private final Map<String, OvsNode> ovs = new LinkedHashMap<>();
  private final Map<String, UnixctlConnection> unixctl = new LinkedHashMap<>();
  private final Map<String, Simulator> simulators = new LinkedHashMap<>();
  private final AtomicLong ovsTraces = new AtomicLong();
  private final AtomicLong simTraces = new AtomicLong();

  private ClusterBridges() {}

  /**
   * Starts one OVS node per name in {@code nodeNames} with the ports of {@code compiled} and loads
   * its flows.
   */
  static ClusterBridges start(CompiledCluster compiled, List<String> nodeNames) {
    ClusterBridges b = new ClusterBridges();
    try {
      long dpid = 1;
      for (String name : nodeNames) {
        NodeInfo info =
            compiled
                .state()
                .node(name)
                .orElseThrow(() -> new IllegalArgumentException("no node " + name));
        PortMap map = compiled.ports(name);
        OvsNode node = OvsNode.start();
        b.ovs.put(name, node);
        node.createAntreaBridge(BRIDGE, dpid++);
        // Tunnel and gateway must be where the bridge has them; every pod port at its number.
        node.addPorts(BRIDGE, map.byName());
        b.nodes.put(name, info);
        b.ports.put(name, map);
        b.unixctl.put(name, node.openUnixctl());
      }
      b.load(compiled);
      return b;
    } catch (RuntimeException e) {
      b.close();
      throw e;
    }
  }

  /**
   * Makes every bridge's flow table exactly the compiled flows of its node ({@code replace-flows
   * --bundle}), checks the dump reads back as the same set, and rebuilds the simulators.
   */
  void load(CompiledCluster compiled) {
    for (Map.Entry<String, OvsNode> e : ovs.entrySet()) {
      String name = e.getKey();
      PortMap map = compiled.ports(name);
      if (!map.equals(ports.get(name))) {
        throw new IllegalArgumentException(
            name + ": ports changed from " + ports.get(name) + " to " + map);
      }
      NodeFlows flows = compiled.flows(name);
      if (!flows.groups().isEmpty()) {
        throw new IllegalArgumentException(name + ": groups are not loaded by this harness");
      }
      e.getValue().replaceFlowsBundle(BRIDGE, flows.format(map.names(), FlowText.Style.OPENFLOW10));
      List<Flow> installed =
          FlowText.parseAll(String.join("\n", e.getValue().dumpFlows(BRIDGE)), map.names(), false);
      if (!new HashSet<>(installed).equals(new HashSet<>(flows.flows()))) {
        throw new IllegalStateException(
            name + ": the bridge holds " + installed.size() + " flows, not the compiled set");
      }
      simulators.put(name, new Simulator(flows.flows(), flows.groups()));
    }
  }

  NodeInfo node(String name) {
    return nodes.get(name);
  }

  PortMap ports(String node) {
    return ports.get(node);
  }

  OvsNode ovs(String node) {
    return ovs.get(node);
  }

  /** ofproto/trace calls so far. */
  long ovsTraces() {
    return ovsTraces.get();
  }

  /** Simulator traces so far. */
  long simulatorTraces() {
    return simTraces.get();
  }

  // ------------------------------------------------------------------------------------- walks

  /**
   * The inner packet as it crosses the tunnel: the fields the receiving node's pipeline can see.
   * Both walks build it the same way, so OVS's and the simulator's can be compared as values.
   */
  record WirePacket(
      String protocol,
      String dlSrc,
      String dlDst,
      String nwSrc,
      String nwDst,
      int ttl,
      int tpSrc,
      int tpDst,
      String tunDst) {

    /** From an OVS {@code Flow:}/{@code Final flow:} line. */
    static WirePacket ofOvs(String flow) {
      Map<String, String> f = new LinkedHashMap<>();
      String protocol = null;
      for (String token : flow.split(",")) {
        int eq = token.indexOf('=');
        if (eq < 0) {
          if (protocol == null && List.of("tcp", "udp", "sctp", "icmp", "ip").contains(token)) {
            protocol = token;
          }
        } else {
          f.put(token.substring(0, eq), token.substring(eq + 1));
        }
      }
      if (protocol == null) {
        throw new IllegalArgumentException("no IP protocol in " + flow);
      }
      boolean l4 = !protocol.equals("ip") && !protocol.equals("icmp");
      return new WirePacket(
          protocol,
          f.get("dl_src"),
          f.get("dl_dst"),
          f.get("nw_src"),
          f.get("nw_dst"),
          Integer.parseInt(f.get("nw_ttl")),
          l4 ? Integer.parseInt(f.get("tp_src")) : 0,
          l4 ? Integer.parseInt(f.get("tp_dst")) : 0,
          f.getOrDefault("tun_dst", "0.0.0.0"));
    }

    /** From the simulator's output packet. */
    static WirePacket ofSimulator(Packet p) {
      long proto = p.get(MatchField.IP_PROTO);
      String protocol =
          proto == Match.PROTO_TCP
              ? "tcp"
              : proto == Match.PROTO_UDP
                  ? "udp"
                  : proto == Match.PROTO_SCTP ? "sctp" : proto == Match.PROTO_ICMP ? "icmp" : "ip";
      return new WirePacket(
          protocol,
          new MacAddress(p.get(MatchField.ETH_SRC)).toString(),
          new MacAddress(p.get(MatchField.ETH_DST)).toString(),
          ipv4(p.get(MatchField.IPV4_SRC)),
          ipv4(p.get(MatchField.IPV4_DST)),
          (int) p.get(MatchField.NW_TTL),
          (int) p.get(MatchField.TP_SRC),
          (int) p.get(MatchField.TP_DST),
          ipv4(p.get(MatchField.TUN_DST)));
    }

    /** The microflow of this packet arriving on {@code antrea-tun0} from {@code tunSrc}. */
    String arriving(String tunSrc) {
      StringBuilder sb =
          new StringBuilder(protocol)
              .append(",in_port=")
              .append(Marks.TUNNEL_PORT)
              .append(",tun_src=")
              .append(tunSrc)
              .append(",tun_dst=")
              .append(tunDst)
              .append(",dl_src=")
              .append(dlSrc)
              .append(",dl_dst=")
              .append(dlDst)
              .append(",nw_src=")
              .append(nwSrc)
              .append(",nw_dst=")
              .append(nwDst)
              .append(",nw_ttl=")
              .append(ttl);
      if (!protocol.equals("ip") && !protocol.equals("icmp")) {
        sb.append(',').append(protocol).append("_src=").append(tpSrc);
        sb.append(',').append(protocol).append("_dst=").append(tpDst);
      }
      return sb.toString();
    }
  }

  /**
   * One bridge's part of a walk: the packet it got, the ports it output to, the packet it sent
   * through the tunnel (if it did), and the trace for failure messages.
   */
  record Hop(
      String node,
      String microflow,
      List<Long> outputs,
      @Nullable WirePacket tunnelled,
      String detail) {

    /** Where the packet went on this node, e.g. {@code node-1: [1] tun_dst=192.168.77.2}. */
    String summary() {
      return node
          + ": "
          + (outputs.isEmpty() ? "drop" : "output " + outputs)
          + (tunnelled == null ? "" : " tun_dst=" + tunnelled.tunDst());
    }
  }

  /** A packet's way through one or more bridges; the last hop is where it ended. */
  record Walk(List<Hop> hops) {
    Walk {
      hops = List.copyOf(hops);
    }

    Hop last() {
      return hops.get(hops.size() - 1);
    }

    /** The hops' summaries, e.g. {@code node-1: output [1] tun_dst=.. -> node-2: output [5]}. */
    String summary() {
      return hops.stream().map(Hop::summary).collect(Collectors.joining(" -> "));
    }

    /** Every hop's microflow and trace. */
    String detail() {
      StringBuilder sb = new StringBuilder();
      for (Hop h : hops) {
        sb.append("--- ")
            .append(h.node())
            .append(": ")
            .append(h.microflow())
            .append('\n')
            .append(h.detail())
            .append('\n');
      }
      return sb.toString();
    }
  }

  /** Walks {@code microflow} (entering {@code node}'s bridge) through the real bridges. */
  Walk walkOvs(String node, String microflow) {
    List<Hop> hops = new ArrayList<>();
    String current = node;
    String packet = microflow;
    while (true) {
      TraceResult t = unixctl.get(current).ofprotoTrace(BRIDGE, packet, CT_NEW);
      ovsTraces.incrementAndGet();
      List<Long> outputs = t.effectiveOutputPorts().stream().map(Integer::longValue).toList();
      long tunnel = ports.get(current).tunnel();
      WirePacket tunnelled =
          outputs.contains(tunnel)
              ? t.flowAtOutput((int) tunnel).map(WirePacket::ofOvs).orElseThrow()
              : null;
      hops.add(new Hop(current, packet, outputs, tunnelled, t.text()));
      Optional<String> next = nextNode(current, tunnelled, hops.size());
      if (next.isEmpty()) {
        return new Walk(hops);
      }
      packet = tunnelled.arriving(nodes.get(current).internalIp().toString());
      current = next.get();
    }
  }

  /** Walks {@code microflow} (entering {@code node}'s bridge) through the simulators. */
  Walk walkSimulator(String node, String microflow) {
    List<Hop> hops = new ArrayList<>();
    String current = node;
    String packet = microflow;
    while (true) {
      PortMap map = ports.get(current);
      Trace t =
          simulators.get(current).trace(Microflow.parse(packet, map.names()), CtNext.of(CT_NEW));
      simTraces.incrementAndGet();
      Verdict v = t.verdict();
      long tunnel = map.tunnel();
      WirePacket tunnelled =
          v.outputs().stream()
              .filter(o -> o.port() == tunnel)
              .findFirst()
              .map(o -> WirePacket.ofSimulator(o.packet()))
              .orElse(null);
      hops.add(new Hop(current, packet, v.ports(), tunnelled, t.format(map.names())));
      Optional<String> next = nextNode(current, tunnelled, hops.size());
      if (next.isEmpty()) {
        return new Walk(hops);
      }
      packet = tunnelled.arriving(nodes.get(current).internalIp().toString());
      current = next.get();
    }
  }

  /** The node whose InternalIP is the tunnel destination (not the sending node itself). */
  private Optional<String> nextNode(String current, @Nullable WirePacket tunnelled, int hops) {
    if (tunnelled == null || hops >= MAX_HOPS) {
      return Optional.empty();
    }
    return nodes.values().stream()
        .filter(n -> !n.name().equals(current))
        .filter(n -> n.internalIp().toString().equals(tunnelled.tunDst()))
        .map(NodeInfo::name)
        .findFirst();
  }

  private static String ipv4(long v) {
    return new Ipv4((int) v).toString();
  }

  /** Closes the control connections and stops every OVS node (by pid). */
  @Override
  public void close() {
    unixctl.values().forEach(UnixctlConnection::close);
    RuntimeException failure = null;
    for (OvsNode n : ovs.values()) {
      try {
        n.close();
      } catch (RuntimeException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }
}
