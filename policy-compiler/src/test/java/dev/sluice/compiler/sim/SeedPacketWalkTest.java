package dev.sluice.compiler.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.compiler.flow.CtState;
import dev.sluice.compiler.flow.MatchField;
import dev.sluice.compiler.flow.PortNames;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The reference packet walks (docs/packet-walk.md) on the reference flows, checked against what the
 * seed says and against real {@code ofproto/trace} output (golden/ovs/trace-*.txt).
 */
class SeedPacketWalkTest {
  private static final long IP_10_79_1_202 = 0x0a4f01caL;

  @Test
  void frontendToServiceGoesToTheGatewayThroughDnatAndCommit() {
    Simulator sim = Simulator.of(SeedFlows.worker1());
    Microflow m =
        Microflow.parse(
            "in_port=frontend-a3ba2f,tcp,dl_src=be:2c:bf:e4:ec:c5,dl_dst=4e:99:08:c1:53:be,"
                + "nw_src=10.222.1.48,nw_dst=10.104.65.133,tcp_dst=80,nw_ttl=64",
            SeedFlows.WORKER1);

    Trace t = sim.trace(m, CtNext.of("trk,new"));

    assertThat(t.tables()).containsExactly(0, 10, 30, 31, 40, 105, 110);
    // As ofproto/trace: 0,10,30 | recirc 31,40,105 | recirc 110.
    assertThat(t.tables(0)).containsExactly(0, 10, 30);
    assertThat(t.tables(1)).containsExactly(31, 40, 105);
    assertThat(t.tables(2)).containsExactly(110);
    assertThat(t.verdict().kind()).isEqualTo(Verdict.Kind.OUTPUT);
    assertThat(t.verdict().ports()).containsExactly(2L);
    Packet out = t.verdict().outputs().get(0).packet();
    assertThat(out.get(MatchField.REG0)).isEqualTo(0x10002);
    assertThat(out.get(MatchField.REG1)).isEqualTo(2);
    assertThat(out.get(MatchField.NW_TTL)).isEqualTo(64);
    assertThat(t.steps().get(0).cookie()).hasValue(0x1030000000000L);
    assertThat(t.steps().get(4).cookie()).hasValue(0x1040000000000L);
    assertThat(t.conntrack()).hasSize(2);
    assertThat(t.conntrack().get(1).commit()).isTrue();
    assertThat(t.conntrack().get(1).mark()).isZero();
    assertThat(t.passes().get(2).defaultCtState()).isTrue();
    assertThat(t.ambiguities()).isEmpty();

    String text = t.format(SeedFlows.WORKER1);
    assertThat(text)
        .contains(
            "table 0   priority=190,in_port=\"frontend-a3ba2f\"   "
                + "load:0x2->NXM_NX_REG0[0..15],resubmit(,10)")
        .contains(
            "table 30  priority=200,ip   ct(table=31,zone=65520) -> recirculate to table 31"
                + " with ct_state=new|trk")
        .contains(
            "recirculation 2: resume at table 110 with ct_state=new|trk,ct_zone=65520 (default")
        .endsWith("verdict: output to antrea-gw0 (port 2)\n");
  }

  @Test
  void gatewayToRemoteBackendIsAllowedByConjunctionOneAndTunnelledToWorker2() {
    Simulator sim = Simulator.of(SeedFlows.worker1());
    Microflow m =
        Microflow.parse(
            "in_port=antrea-gw0,tcp,dl_src=4e:99:08:c1:53:be,dl_dst=aa:bb:cc:dd:ee:ff,"
                + "nw_src=10.222.1.48,nw_dst=10.222.2.34,tcp_dst=80,nw_ttl=64",
            SeedFlows.WORKER1);

    Trace t = sim.trace(m, CtNext.of("trk,new"));

    assertThat(t.tables()).containsExactly(0, 10, 30, 31, 40, 50, 70, 105, 110);
    Trace.Step t50 = t.steps().get(5);
    assertThat(t50.conjId()).isEqualTo(1);
    assertThat(t50.flow().priority()).isEqualTo(190);
    assertThat(t50.note()).contains("conjunction(1) matched: all clauses at priority 200");
    Trace.CtEvent commit = t.conntrack().get(1);
    assertThat(commit.commit()).isTrue();
    assertThat(commit.mark()).isEqualTo(0x20);
    assertThat(commit.zone()).isEqualTo(65520);

    assertThat(t.verdict().ports()).containsExactly(1L);
    Verdict.Output out = t.verdict().outputs().get(0);
    assertThat(out.tunDst()).isEqualTo(IP_10_79_1_202);
    assertThat(out.packet().get(MatchField.REG5)).isEqualTo(1);
    assertThat(out.packet().get(MatchField.NW_TTL)).isEqualTo(63);
    // ct_mark from the commit's exec() is visible in the recirculated packet, as in ofproto/trace.
    assertThat(out.packet().get(MatchField.CT_MARK)).isEqualTo(0x20);
    assertThat(out.packet().get(MatchField.ETH_SRC)).isEqualTo(0x4e9908c153beL);
    assertThat(out.packet().get(MatchField.ETH_DST)).isEqualTo(0xaabbccddeeffL);
    assertThat(t.verdict().format(SeedFlows.WORKER1))
        .isEqualTo("output to antrea-tun0 (port 1) with tun_dst=10.79.1.202");
  }

  private static Microflow fromTunnel() {
    return Microflow.parse(
        "in_port=antrea-tun0,tun_src=10.79.1.201,tun_dst=10.79.1.202,tcp,dl_src=4e:99:08:c1:53:be,"
            + "dl_dst=aa:bb:cc:dd:ee:ff,nw_src=10.222.1.48,nw_dst=10.222.2.34,tcp_dst=80,nw_ttl=63",
        SeedFlows.WORKER2);
  }

  @Test
  void tunnelToBackend2IsDeliveredOnWorker2WithTheMissingTablesSupplemented() {
    Trace t =
        Simulator.of(SeedFlows.worker2Supplemented()).trace(fromTunnel(), CtNext.of("trk,new"));

    assertThat(t.tables()).containsExactly(0, 30, 31, 40, 50, 60, 70, 80, 90, 100, 105, 110);
    assertThat(t.verdict().ports()).containsExactly(35L);
    Packet out = t.verdict().outputs().get(0).packet();
    assertThat(out.get(MatchField.ETH_SRC)).isEqualTo(0x02d84e3f921dL);
    assertThat(out.get(MatchField.ETH_DST)).isEqualTo(0xc6f4b5761038L);
    assertThat(out.get(MatchField.NW_TTL)).isEqualTo(62);
    assertThat(out.get(MatchField.REG0)).isEqualTo(0x90000);
    assertThat(t.verdict().format(SeedFlows.WORKER2))
        .isEqualTo("output to backend2-202ff6 (port 35)");
  }

  @Test
  void tunnelToBackend2DropsInTheEmptyTable90OfTheSeedsWorker2Dump() {
    // The seed never prints worker2's tables 90-110; OVS with only those flows drops in table 90
    // (golden/ovs/trace-tun0-to-backend2-worker2-seedonly.txt: "90. No match.").
    Trace t = Simulator.of(SeedFlows.worker2()).trace(fromTunnel(), CtNext.of("trk,new"));

    assertThat(t.tables()).containsExactly(0, 30, 31, 40, 50, 60, 70, 80, 90);
    assertThat(t.steps().get(t.steps().size() - 1).isMiss()).isTrue();
    assertThat(t.verdict().kind()).isEqualTo(Verdict.Kind.DROP);
    assertThat(t.verdict().dropReason()).isEqualTo("table 90: no matching flow (table-miss)");
  }

  @Test
  void establishedReplyFromTheGatewaySkipsPolicy() {
    Microflow m =
        Microflow.parse(
            "in_port=antrea-gw0,tcp,dl_src=4e:99:08:c1:53:be,dl_dst=aa:bb:cc:dd:ee:ff,"
                + "nw_src=10.222.1.48,nw_dst=10.222.2.34,tcp_dst=80,nw_ttl=64",
            SeedFlows.WORKER1);
    Trace t = Simulator.of(SeedFlows.worker1()).trace(m, CtNext.of("trk,est"));

    // table 50 priority 210 ct_state=-new+est wins over the conjunction at 200.
    Trace.Step t50 = t.steps().stream().filter(s -> s.table() == 50).findFirst().orElseThrow();
    assertThat(t50.flow().priority()).isEqualTo(210);
    assertThat(t50.conjId()).isZero();
    assertThat(t.passes().get(1).ctState()).isEqualTo(CtState.TRK | CtState.EST);
    assertThat(t.verdict().ports()).containsExactly(1L);
  }

  @Test
  void reportIsPlainData() {
    Microflow m =
        Microflow.parse(
            "in_port=frontend-a3ba2f,tcp,dl_src=be:2c:bf:e4:ec:c5,nw_src=10.222.1.48,"
                + "nw_dst=10.104.65.133,tcp_dst=80,nw_ttl=64",
            SeedFlows.WORKER1);
    Trace.Report r = Simulator.of(SeedFlows.worker1()).trace(m).report(SeedFlows.WORKER1);
    assertThat(r.kind()).isEqualTo("OUTPUT");
    assertThat(r.outputs()).containsExactly("antrea-gw0 (port 2)");
    List<Trace.StepReport> steps = r.steps();
    assertThat(steps.get(0).cookie()).isEqualTo("0x1030000000000");
    assertThat(steps.get(0).match()).isEqualTo("in_port=\"frontend-a3ba2f\"");
    assertThat(Microflow.parse(r.microflow(), SeedFlows.WORKER1)).isEqualTo(m);
    assertThat(Microflow.parse(m.format(PortNames.NONE), PortNames.NONE)).isEqualTo(m);
  }
}
