package dev.sluice.compiler.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.compiler.flow.Flow;
import dev.sluice.compiler.flow.FlowText;
import dev.sluice.compiler.flow.Group;
import dev.sluice.compiler.flow.PortNames;
import dev.sluice.testkit.ovs.OvsNode;
import dev.sluice.testkit.ovs.TraceResult;
import java.io.IOException;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Differential test: the same flows in the simulator and in a real {@code ovs-vswitchd} 3.1 (dummy
 * datapath, via {@link OvsNode}), the same packets through {@code ofproto/trace --ct-next}; the
 * tables visited, the output ports (OpenFlow numbers), drop, and {@code tun_dst} on the tunnel port
 * must agree.
 *
 * <p>Nodes: the seed's worker1 and worker2 (worker2 with {@code worker2-supplement.flows}, the
 * tables the seed never printed), and a scratch bridge {@code br-sim} on worker1's node with
 * hand-written flows for the edge cases (conjunctions, loops, groups, output to in_port, dec_ttl).
 */
class SimulatorVsOvsIT {
  private static final String BR = "br-int";
  private static final String SIM_BR = "br-sim";

  /** Scratch bridge flows: one table range per edge case, entered by in_port. */
  private static final String SIM_FLOWS =
      """
      table=0,priority=100,in_port=sim-p1 actions=resubmit(,10)
      table=0,priority=100,in_port=sim-p2 actions=resubmit(,20)
      table=0,priority=100,in_port=sim-p3 actions=resubmit(,30)
      table=0,priority=100,in_port=sim-p4 actions=resubmit(,40)
      table=0,priority=100,in_port=sim-p5 actions=resubmit(,50)
      table=0,priority=100,in_port=sim-p6 actions=load:0x1->NXM_NX_REG3[],goto_table:60
      table=0,priority=100,in_port=sim-p7 actions=group:1
      table=0,priority=100,in_port=sim-p8 actions=resubmit(,70)
      table=10,priority=200,ip,nw_src=10.0.0.1 actions=conjunction(7,1/2),conjunction(8,1/2)
      table=10,priority=200,tcp,tp_dst=80 actions=conjunction(7,2/2)
      table=10,priority=200,udp,tp_dst=53 actions=conjunction(8,2/2)
      table=10,priority=199,tcp,tp_dst=443 actions=conjunction(7,2/2)
      table=10,priority=190,conj_id=7,ip actions=output:sim-p7
      table=10,priority=190,conj_id=8,ip actions=output:sim-p8
      table=10,priority=195,ip,nw_dst=10.0.0.99 actions=output:sim-p5
      table=10,priority=210,ip,nw_dst=10.0.0.66 actions=output:sim-p6
      table=10,priority=0 actions=output:sim-p2
      table=20,priority=1 actions=resubmit(,21)
      table=21,priority=1 actions=resubmit(,20)
      table=30,priority=10,ip actions=dec_ttl,output:sim-p4
      table=40,priority=10,reg0=0/0xffff actions=output:NXM_NX_REG1[0..15],IN_PORT
      table=50,priority=10,tcp,tp_dst=0x8000/0xf000 actions=output:sim-p1
      table=50,priority=10,ip,nw_dst=10.96.0.0/12 actions=resubmit(,51),output:sim-p2
      table=51,priority=10 actions=load:0x3->NXM_NX_REG1[],output:NXM_NX_REG1[]
      table=60,priority=10,reg3=1 actions=output:sim-p3
      table=70,priority=10,ip actions=ct(commit,table=71,zone=9,exec(load:0x5->NXM_NX_CT_MARK[])),output:sim-p1
      table=71,priority=20,ct_state=+est+trk,ct_mark=0x5,ip actions=ct(commit,table=72,zone=9)
      table=71,priority=10,ct_state=+trk,ip actions=output:sim-p2
      table=72,priority=10,ct_state=+new+trk,ip actions=output:sim-p3
      table=72,priority=5,ct_state=+trk,ip actions=output:sim-p4
      """;

  private static final String SIM_GROUPS =
      "group_id=1,type=all,bucket=actions=load:0x2->NXM_NX_REG2[],output:sim-p2,"
          + "bucket=actions=output:sim-p3";

  private static OvsNode worker1;
  private static OvsNode worker2;
  private static final Map<String, Simulator> SIMS = new HashMap<>();
  private static final Map<String, PortNames> PORTS = new HashMap<>();

  @BeforeAll
  static void start() throws IOException {
    worker1 = OvsNode.start();
    worker1.createAntreaBridge(BR, 1);
    worker1.addPodPort(BR, "coredns--3e3abf", 3);
    worker1.addPodPort(BR, "antrea-o-830766", 4);
    worker1.addPodPort(BR, "backend1-bab86f", 5);
    worker1.addPodPort(BR, "frontend-a3ba2f", 6);
    worker1.addFlows(BR, Files.readString(SeedFlows.dir().resolve("worker1.flows")));
    SIMS.put("worker1", Simulator.of(SeedFlows.worker1()));
    PORTS.put("worker1", SeedFlows.WORKER1);

    worker1.createBridge(SIM_BR, 3);
    Map<String, Long> simPorts = new HashMap<>();
    for (int i = 1; i <= 8; i++) {
      simPorts.put("sim-p" + i, (long) worker1.addPodPort(SIM_BR, "sim-p" + i, i));
    }
    PortNames simNames = PortNames.of(simPorts);
    worker1.ofctl("add-group", SIM_BR, SIM_GROUPS); // before the flow that uses it
    worker1.addFlows(SIM_BR, SIM_FLOWS);
    List<Flow> simFlows = FlowText.parseAll(SIM_FLOWS, simNames, true);
    List<Group> simGroups = List.of(FlowText.parseGroup(SIM_GROUPS, simNames));
    SIMS.put("sim", new Simulator(simFlows, simGroups));
    PORTS.put("sim", simNames);

    worker2 = OvsNode.start();
    worker2.createAntreaBridge(BR, 2);
    worker2.addPodPort(BR, "coredns--d8f62c", 3);
    worker2.addPodPort(BR, "backend2-202ff6", 35);
    worker2.addFlows(BR, Files.readString(SeedFlows.dir().resolve("worker2.flows")));
    worker2.addFlows(BR, Files.readString(SeedFlows.dir().resolve("worker2-supplement.flows")));
    SIMS.put("worker2", Simulator.of(SeedFlows.worker2Supplemented()));
    PORTS.put("worker2", SeedFlows.WORKER2);
  }

  @AfterAll
  static void stop() {
    if (worker1 != null) {
      worker1.close();
    }
    if (worker2 != null) {
      worker2.close();
    }
  }

  /** A packet; {@code expect} (scratch bridge only) pins the verdict both must reach, or null. */
  record Case(String node, String microflow, List<String> ctNext, List<Long> expect) {
    @Override
    public String toString() {
      return node + ": " + microflow + " --ct-next " + ctNext;
    }
  }

  private static Case c(String node, String microflow, String... ctNext) {
    return new Case(node, microflow, List.of(ctNext), null);
  }

  /** A scratch-bridge case whose outputs are known in advance (empty = drop). */
  private static Case sim(String microflow, List<Long> expect, String... ctNext) {
    return new Case("sim", microflow, List.of(ctNext), expect);
  }

  private static final String FRONTEND =
      "in_port=frontend-a3ba2f,dl_src=be:2c:bf:e4:ec:c5,dl_dst=4e:99:08:c1:53:be,nw_src=10.222.1.48,nw_ttl=64";
  private static final String GW1 =
      "in_port=antrea-gw0,dl_src=4e:99:08:c1:53:be,dl_dst=aa:bb:cc:dd:ee:ff,nw_src=10.222.1.48,nw_ttl=64";
  private static final String TUN2 =
      "in_port=antrea-tun0,tun_src=10.79.1.201,tun_dst=10.79.1.202,dl_src=4e:99:08:c1:53:be,"
          + "dl_dst=aa:bb:cc:dd:ee:ff,nw_src=10.222.1.48,nw_ttl=63";

  static Stream<Case> cases() {
    return Stream.of(
        // The seed's three walks.
        c("worker1", "tcp," + FRONTEND + ",nw_dst=10.104.65.133,tcp_dst=80", "trk,new"),
        c("worker1", "tcp," + GW1 + ",nw_dst=10.222.2.34,tcp_dst=80", "trk,new"),
        c("worker2", "tcp," + TUN2 + ",nw_dst=10.222.2.34,tcp_dst=80", "trk,new"),
        // worker1: policy (tables 50/60), conntrack states (31), spoofguard (10), misses.
        c("worker1", "tcp," + GW1 + ",nw_dst=10.222.2.34,tcp_dst=80", "trk,est"),
        c("worker1", "tcp," + GW1 + ",nw_dst=10.222.2.34,tcp_dst=80", "trk,inv"),
        c("worker1", "tcp," + FRONTEND + ",nw_dst=10.222.2.34,tcp_dst=80", "trk,new"),
        c("worker1", "tcp," + FRONTEND + ",nw_dst=10.222.2.34,tcp_dst=443", "trk,new"),
        c("worker1", "udp," + FRONTEND + ",nw_dst=10.222.2.2,udp_dst=53", "trk,new"),
        c("worker1", "udp," + FRONTEND + ",nw_dst=10.222.1.2,udp_dst=53", "trk,new"),
        c("worker1", "tcp," + FRONTEND + ",nw_dst=10.222.0.5,tcp_dst=80", "trk,new"),
        c(
            "worker1",
            "tcp,in_port=backend1-bab86f,dl_src=f2:32:d8:07:e2:a6,dl_dst=4e:99:08:c1:53:be,"
                + "nw_src=10.222.1.47,nw_dst=10.222.2.34,tcp_dst=80,nw_ttl=64",
            "trk,new"),
        c(
            "worker1",
            "tcp,in_port=frontend-a3ba2f,dl_src=be:2c:bf:e4:ec:c6,nw_src=10.222.1.48,"
                + "nw_dst=10.222.2.34,tcp_dst=80,nw_ttl=64",
            "trk,new"),
        c(
            "worker1",
            "arp,in_port=frontend-a3ba2f,dl_src=be:2c:bf:e4:ec:c5,arp_spa=10.222.1.48,"
                + "arp_sha=be:2c:bf:e4:ec:c5,arp_tpa=10.222.1.1",
            "trk,new"),
        c(
            "worker1",
            "tcp," + GW1.replace("nw_ttl=64", "nw_ttl=1") + ",nw_dst=10.222.2.34,tcp_dst=80",
            "trk,new"),
        c(
            "worker1",
            "tcp,in_port=antrea-gw0,ct_mark=0x20,dl_src=4e:99:08:c1:53:be,"
                + "dl_dst=be:2c:bf:e4:ec:c5,nw_src=10.222.2.34,nw_dst=10.222.1.48,tcp_src=80,nw_ttl=64",
            "trk,est"),
        c(
            "worker1",
            "tcp,in_port=antrea-tun0,tun_src=10.79.1.202,tun_dst=10.79.1.201,dl_src=02:d8:4e:3f:92:1d,"
                + "dl_dst=aa:bb:cc:dd:ee:ff,nw_src=10.222.2.34,nw_dst=10.222.1.48,tcp_src=80,nw_ttl=63",
            "trk,est"),
        c("worker1", "in_port=coredns--3e3abf,dl_src=f2:82:cc:96:da:bd", "trk,new"),
        // worker2.
        c("worker2", "tcp," + TUN2 + ",nw_dst=10.222.2.34,tcp_dst=80", "trk,est"),
        c("worker2", "tcp," + TUN2 + ",nw_dst=10.222.2.2,tcp_dst=53", "trk,new"),
        c("worker2", "tcp," + TUN2 + ",nw_dst=10.222.2.1,tcp_dst=22", "trk,new"),
        c("worker2", "tcp," + TUN2 + ",nw_dst=10.222.2.34,tcp_dst=80", "trk,inv"),
        c(
            "worker2",
            "tcp,in_port=backend2-202ff6,dl_src=c6:f4:b5:76:10:38,dl_dst=02:d8:4e:3f:92:1d,"
                + "nw_src=10.222.2.34,nw_dst=10.222.1.48,tcp_src=80,nw_ttl=64",
            "trk,est"),
        // Scratch bridge: conjunctions.
        sim("tcp,in_port=sim-p1,nw_src=10.0.0.1,nw_dst=10.0.0.2,tcp_dst=80,nw_ttl=64", List.of(7L)),
        sim("udp,in_port=sim-p1,nw_src=10.0.0.1,nw_dst=10.0.0.2,udp_dst=53,nw_ttl=64", List.of(8L)),
        sim(
            "tcp,in_port=sim-p1,nw_src=10.0.0.1,nw_dst=10.0.0.2,tcp_dst=443,nw_ttl=64",
            List.of(2L)),
        sim("tcp,in_port=sim-p1,nw_src=10.0.0.2,nw_dst=10.0.0.2,tcp_dst=80,nw_ttl=64", List.of(2L)),
        sim(
            "tcp,in_port=sim-p1,nw_src=10.0.0.1,nw_dst=10.0.0.99,tcp_dst=80,nw_ttl=64",
            List.of(5L)),
        sim(
            "tcp,in_port=sim-p1,nw_src=10.0.0.1,nw_dst=10.0.0.66,tcp_dst=80,nw_ttl=64",
            List.of(6L)),
        // Loop, dec_ttl, output to in_port / IN_PORT / reg, masks, goto, group, ct.
        sim("in_port=sim-p2", List.of()),
        sim("ip,in_port=sim-p3,nw_ttl=1", List.of()),
        sim("ip,in_port=sim-p3,nw_ttl=0", List.of()),
        sim("ip,in_port=sim-p3,nw_ttl=9", List.of(4L)),
        sim("in_port=sim-p4,reg1=4", List.of(4L)),
        sim("in_port=sim-p4,reg1=0x10006", List.of(6L, 4L)),
        sim("tcp,in_port=sim-p5,nw_dst=10.0.0.1,tcp_dst=0x8abc,nw_ttl=64", List.of(1L)),
        sim("tcp,in_port=sim-p5,nw_dst=10.100.0.1,tcp_dst=80,nw_ttl=64", List.of(3L, 2L)),
        sim("in_port=sim-p6", List.of(3L)),
        sim("in_port=sim-p7", List.of(2L, 3L)),
        sim("ip,in_port=sim-p8,nw_ttl=64", List.of(1L, 3L), "trk,est"),
        sim("ip,in_port=sim-p8,nw_ttl=64", List.of(1L, 2L), "trk,new"),
        sim("ip,in_port=sim-p8,nw_ttl=64", List.of(1L, 4L), "trk,est", "trk,est"));
  }

  private static final Pattern TUN_DST = Pattern.compile("\\btun_dst=([0-9.]+)");

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void simulatorAgreesWithOfprotoTrace(Case c) {
    OvsNode node = c.node().equals("worker2") ? worker2 : worker1;
    String bridge = c.node().equals("sim") ? SIM_BR : BR;
    TraceResult ovs = node.ofprotoTrace(bridge, c.microflow(), c.ctNext().toArray(String[]::new));
    PortNames ports = PORTS.get(c.node());
    Trace sim =
        SIMS.get(c.node())
            .trace(
                Microflow.parse(c.microflow(), ports),
                CtNext.of(c.ctNext().toArray(String[]::new)));
    String why = "\nOVS:\n" + ovs.text() + "\nsimulator:\n" + sim.format(ports);

    List<Long> ovsPorts = ovsOutputs(ovs);
    if (c.expect() != null) {
      assertThat(ovsPorts).as("OVS outputs (the case's expectation)" + why).isEqualTo(c.expect());
    }
    assertThat(sim.verdict().ports()).as("output ports" + why).isEqualTo(ovsPorts);
    if (!c.microflow().equals("in_port=sim-p2")) {
      // The resubmit loop: OVS stops printing nested tables at some depth; only the verdict counts.
      assertThat(sim.tables()).as("tables" + why).isEqualTo(ovs.tables());
    }
    if (ovsPorts.contains(1L) && c.node().startsWith("worker")) {
      assertThat(ipv4(sim.verdict().outputs().get(ovsPorts.indexOf(1L)).tunDst()))
          .as("tun_dst" + why)
          .isEqualTo(tunDstAtOutput(ovs));
    }
  }

  /** The output ports OVS really used ({@link TraceResult#effectiveOutputPorts()}). */
  static List<Long> ovsOutputs(TraceResult trace) {
    return trace.effectiveOutputPorts().stream().map(Integer::longValue).toList();
  }

  /**
   * tun_dst of the packet as it left through the tunnel port ({@link TraceResult#flowAtOutput}).
   */
  static String tunDstAtOutput(TraceResult trace) {
    return trace
        .flowAtOutput(OvsNode.TUNNEL_OFPORT)
        .map(TUN_DST::matcher)
        .filter(Matcher::find)
        .map(m -> m.group(1))
        .orElse(null);
  }

  private static String ipv4(long v) {
    return ((v >>> 24) & 0xff)
        + "."
        + ((v >>> 16) & 0xff)
        + "."
        + ((v >>> 8) & 0xff)
        + "."
        + (v & 0xff);
  }
}
