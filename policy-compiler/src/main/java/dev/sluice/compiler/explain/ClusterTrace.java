package dev.sluice.compiler.explain;

import dev.sluice.compiler.cluster.Ipv4;
import dev.sluice.compiler.cluster.NodeInfo;
import dev.sluice.compiler.cluster.PodInfo;
import dev.sluice.compiler.cluster.Protocol;
import dev.sluice.compiler.compile.CompiledCluster;
import dev.sluice.compiler.compile.NodeFlows;
import dev.sluice.compiler.compile.PortMap;
import dev.sluice.compiler.flow.Match;
import dev.sluice.compiler.flow.MatchField;
import dev.sluice.compiler.sim.CtNext;
import dev.sluice.compiler.sim.Microflow;
import dev.sluice.compiler.sim.Packet;
import dev.sluice.compiler.sim.Simulator;
import dev.sluice.compiler.sim.Trace;
import dev.sluice.compiler.sim.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A new connection's first packet from a pod, walked through the compiled flows of its node and,
 * when it leaves through the Geneve tunnel, through the flows of the node that owns {@code tun_dst}
 * — the way the packet crosses the cluster. Every node sees it as a new connection ({@code
 * --ct-next trk,new}).
 */
public final class ClusterTrace {
  /** Source port of traced packets (any ephemeral port). */
  static final int SOURCE_PORT = 40000;

  private ClusterTrace() {}

  /** Where the walk ended. */
  public enum End {
    /** Output to a local pod's port: delivered. */
    DELIVERED,
    /** Output to antrea-gw0: handed to the node's host (Service DNAT, or leaving the cluster). */
    TO_GATEWAY,
    /** Dropped by a flow or a table miss. */
    DROPPED,
    /** Output somewhere Sluice cannot follow (unknown port or tunnel endpoint). */
    UNKNOWN
  }

  /** One node's part of the walk. */
  public record Hop(String node, Microflow packet, Trace trace) {}

  /**
   * The whole walk.
   *
   * @param hops the nodes visited, in order
   * @param end where it ended
   * @param deliveredTo the pod that received it, when delivered
   * @param packetAtEnd the packet as it left the last node (null when dropped)
   */
  public record Result(
      List<Hop> hops, End end, @Nullable PodInfo deliveredTo, @Nullable Packet packetAtEnd) {
    public Result {
      hops = List.copyOf(hops);
    }

    /** The last hop's trace. */
    public Trace last() {
      return hops.get(hops.size() - 1).trace();
    }
  }

  /** The first packet of a connection from {@code src} to {@code dstIp:dstPort/protocol}. */
  public static Result fromPod(
      CompiledCluster compiled, PodInfo src, Ipv4 dstIp, int dstPort, Protocol protocol) {
    NodeInfo srcNode =
        compiled
            .state()
            .node(src.nodeName())
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "pod "
                            + src.key()
                            + " is on node "
                            + src.nodeName()
                            + ", which is not in the cluster"));
    PortMap ports = compiled.ports(srcNode.name());
    long inPort =
        ports
            .port(src.interfaceName())
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "pod "
                            + src.key()
                            + ": interface "
                            + src.interfaceName()
                            + " has no OpenFlow port on "
                            + srcNode.name()));
    // Same pod subnet: the pod ARPs for the peer itself; otherwise it sends to its gateway.
    Optional<PodInfo> dstPod = compiled.state().podByIp(dstIp);
    long dstMac =
        srcNode.podCidr().contains(dstIp) && dstPod.isPresent()
            ? dstPod.get().mac().bits()
            : srcNode.gatewayMac().bits();
    Packet p =
        Packet.empty()
            .with(MatchField.IN_PORT, inPort)
            .with(MatchField.ETH_SRC, src.mac().bits())
            .with(MatchField.ETH_DST, dstMac)
            .with(MatchField.ETH_TYPE, Match.ETH_IP)
            .with(MatchField.IP_PROTO, ipProto(protocol))
            .with(MatchField.IPV4_SRC, src.ip().toLong())
            .with(MatchField.IPV4_DST, dstIp.toLong())
            .with(MatchField.TP_SRC, SOURCE_PORT)
            .with(MatchField.TP_DST, dstPort)
            .with(MatchField.NW_TTL, 64);
    return walk(compiled, srcNode, p);
  }

  /** Walks {@code packet} from {@code node}, following the tunnel (at most one hop per node). */
  public static Result walk(CompiledCluster compiled, NodeInfo node, Packet packet) {
    List<Hop> hops = new ArrayList<>();
    NodeInfo current = node;
    Packet p = packet;
    for (int guard = 0; guard <= compiled.state().nodes().size(); guard++) {
      NodeFlows flows = compiled.flows(current.name());
      PortMap ports = compiled.ports(current.name());
      Microflow mf = Microflow.of(p);
      Trace t = new Simulator(flows.flows(), flows.groups()).trace(mf, CtNext.of("trk,new"));
      hops.add(new Hop(current.name(), mf, t));
      Verdict v = t.verdict();
      if (v.kind() != Verdict.Kind.OUTPUT) {
        return new Result(hops, End.DROPPED, null, null);
      }
      Verdict.Output out = v.outputs().get(0);
      if (out.port() == ports.gateway()) {
        return new Result(hops, End.TO_GATEWAY, null, out.packet());
      }
      if (out.port() == ports.tunnel()) {
        long tunDst = out.tunDst();
        NodeInfo next =
            compiled.state().nodes().stream()
                .filter(n -> n.internalIp().toLong() == tunDst)
                .findFirst()
                .orElse(null);
        if (next == null) {
          return new Result(hops, End.UNKNOWN, null, out.packet());
        }
        p = arrivingThroughTunnel(out.packet(), current, next, compiled.ports(next.name()));
        current = next;
        continue;
      }
      final NodeInfo at = current;
      Optional<PodInfo> pod =
          compiled.state().pods().stream()
              .filter(x -> x.nodeName().equals(at.name()))
              .filter(x -> ports.port(x.interfaceName()).orElse(-1) == out.port())
              .findFirst();
      return pod.map(x -> new Result(hops, End.DELIVERED, x, out.packet()))
          .orElseGet(() -> new Result(hops, End.UNKNOWN, null, out.packet()));
    }
    return new Result(hops, End.UNKNOWN, null, null);
  }

  /** The inner packet as the remote node's tunnel port delivers it: headers kept, metadata new. */
  private static Packet arrivingThroughTunnel(
      Packet sent, NodeInfo from, NodeInfo to, PortMap ports) {
    Packet p = Packet.empty();
    for (MatchField f :
        List.of(
            MatchField.ETH_SRC,
            MatchField.ETH_DST,
            MatchField.ETH_TYPE,
            MatchField.IP_PROTO,
            MatchField.IPV4_SRC,
            MatchField.IPV4_DST,
            MatchField.TP_SRC,
            MatchField.TP_DST,
            MatchField.NW_TTL,
            MatchField.IP_DSCP)) {
      p = p.with(f, sent.get(f));
    }
    return p.with(MatchField.IN_PORT, ports.tunnel())
        .with(MatchField.TUN_SRC, from.internalIp().toLong())
        .with(MatchField.TUN_DST, to.internalIp().toLong());
  }

  static int ipProto(Protocol protocol) {
    return switch (protocol) {
      case TCP -> Match.PROTO_TCP;
      case UDP -> Match.PROTO_UDP;
      case SCTP -> Match.PROTO_SCTP;
    };
  }
}
