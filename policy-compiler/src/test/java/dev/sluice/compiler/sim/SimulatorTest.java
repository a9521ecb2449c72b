package dev.sluice.compiler.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.compiler.flow.Action;
import dev.sluice.compiler.flow.Flow;
import dev.sluice.compiler.flow.FlowParseException;
import dev.sluice.compiler.flow.FlowText;
import dev.sluice.compiler.flow.Group;
import dev.sluice.compiler.flow.MatchField;
import dev.sluice.compiler.flow.OfPort;
import dev.sluice.compiler.flow.PortNames;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Lookup and action semantics on small hand-written tables. */
class SimulatorTest {

  private static Simulator sim(String... lines) {
    return Simulator.of(Arrays.stream(lines).map(l -> FlowText.parse(l, PortNames.NONE)).toList());
  }

  private static Trace trace(Simulator s, String microflow) {
    return s.trace(Microflow.parse(microflow, PortNames.NONE), CtNext.of("trk,new"));
  }

  // ------------------------------------------------------------ conjunctions

  private static final String[] POLICY = {
    "table=0,priority=200,ip,nw_src=10.0.0.1 actions=conjunction(7,1/2)",
    "table=0,priority=200,tcp,tp_dst=80 actions=conjunction(7,2/2)",
    "table=0,priority=190,conj_id=7,ip actions=output:7",
    "table=0,priority=0 actions=output:9",
  };

  @Test
  void conjunctionMatchesWhenEveryClauseMatches() {
    Trace t = trace(sim(POLICY), "in_port=1,tcp,nw_src=10.0.0.1,nw_dst=10.0.0.2,tp_dst=80");
    assertThat(t.verdict().ports()).containsExactly(7L);
    assertThat(t.steps().get(0).conjId()).isEqualTo(7);
  }

  @Test
  void conjunctionWithAMissingClauseDoesNotMatch() {
    Trace t = trace(sim(POLICY), "in_port=1,tcp,nw_src=10.0.0.1,nw_dst=10.0.0.2,tp_dst=443");
    assertThat(t.verdict().ports()).containsExactly(9L);
    assertThat(t.steps().get(0).conjId()).isZero();
  }

  @Test
  void clauseFlowsAreNeverSelectedThemselves() {
    Trace t =
        trace(
            sim("table=0,priority=200,ip actions=conjunction(1,1/2)"),
            "in_port=1,ip,nw_src=10.0.0.1");
    assertThat(t.steps().get(0).isMiss()).isTrue();
    assertThat(t.verdict().kind()).isEqualTo(Verdict.Kind.DROP);
  }

  @Test
  void oneClauseFlowServesTwoConjunctions() {
    Simulator s =
        sim(
            "table=0,priority=200,ip,nw_src=10.0.0.1 actions=conjunction(1,1/2),conjunction(2,1/2)",
            "table=0,priority=200,tcp,tp_dst=80 actions=conjunction(1,2/2)",
            "table=0,priority=200,udp,tp_dst=53 actions=conjunction(2,2/2)",
            "table=0,priority=100,conj_id=1,ip actions=output:1",
            "table=0,priority=100,conj_id=2,ip actions=output:2");
    assertThat(trace(s, "in_port=9,tcp,nw_src=10.0.0.1,tp_dst=80").verdict().ports())
        .containsExactly(1L);
    assertThat(trace(s, "in_port=9,udp,nw_src=10.0.0.1,tp_dst=53").verdict().ports())
        .containsExactly(2L);
    assertThat(trace(s, "in_port=9,udp,nw_src=10.0.0.2,tp_dst=53").verdict().kind())
        .isEqualTo(Verdict.Kind.DROP);
  }

  @Test
  void higherPriorityOrdinaryFlowBeatsTheConjunction() {
    List<String> lines = new ArrayList<>(List.of(POLICY));
    lines.add("table=0,priority=210,ip,nw_dst=10.0.0.2 actions=output:3");
    Trace t =
        trace(
            sim(lines.toArray(String[]::new)),
            "in_port=1,tcp,nw_src=10.0.0.1,nw_dst=10.0.0.2,tp_dst=80");
    assertThat(t.verdict().ports()).containsExactly(3L);
    assertThat(t.steps().get(0).conjId()).isZero();
  }

  @Test
  void ordinaryFlowBetweenClausesAndConjIdFlowWinsTheRelookup() {
    // OVS looks the table up again with conj_id=7: the highest-priority flow then matching wins,
    // here the ordinary flow at 195 above the conj_id flow at 190 (classifier.c).
    List<String> lines = new ArrayList<>(List.of(POLICY));
    lines.add("table=0,priority=195,ip,nw_dst=10.0.0.2 actions=output:3");
    Trace t =
        trace(
            sim(lines.toArray(String[]::new)),
            "in_port=1,tcp,nw_src=10.0.0.1,nw_dst=10.0.0.2,tp_dst=80");
    assertThat(t.verdict().ports()).containsExactly(3L);
  }

  @Test
  void clauseFlowsAtDifferentPrioritiesDoNotCombine() {
    Trace t =
        trace(
            sim(
                "table=0,priority=200,ip,nw_src=10.0.0.1 actions=conjunction(7,1/2)",
                "table=0,priority=199,tcp,tp_dst=80 actions=conjunction(7,2/2)",
                "table=0,priority=190,conj_id=7,ip actions=output:7"),
            "in_port=1,tcp,nw_src=10.0.0.1,tp_dst=80");
    assertThat(t.verdict().kind()).isEqualTo(Verdict.Kind.DROP);
  }

  @Test
  void clauseFlowsBelowTheBestOrdinaryMatchAreIgnored() {
    Trace t =
        trace(
            sim(
                "table=0,priority=200,ip,nw_src=10.0.0.1 actions=conjunction(7,1/2)",
                "table=0,priority=200,tcp,tp_dst=80 actions=conjunction(7,2/2)",
                "table=0,priority=300,conj_id=7,ip actions=output:7",
                "table=0,priority=250,ip actions=output:5"),
            "in_port=1,tcp,nw_src=10.0.0.1,tp_dst=80");
    assertThat(t.verdict().ports()).containsExactly(5L);
  }

  @Test
  void conjunctionsCompleteAtTheSamePriorityAreReportedAmbiguous() {
    Trace t =
        trace(
            sim(
                "table=0,priority=200,ip actions=conjunction(1,1/2),conjunction(2,1/2)",
                "table=0,priority=200,tcp actions=conjunction(1,2/2),conjunction(2,2/2)",
                "table=0,priority=100,conj_id=1,ip actions=output:1",
                "table=0,priority=100,conj_id=2,ip actions=output:2"),
            "in_port=9,tcp,tp_dst=80");
    assertThat(t.verdict().ports()).containsExactly(1L);
    assertThat(t.ambiguities()).hasSize(1);
  }

  // ------------------------------------------------------------ lookup

  @Test
  void maskedMatchesCompareOnlyTheMaskedBits() {
    Simulator s =
        sim(
            "table=0,priority=100,reg0=0x10000/0x10000 actions=output:1",
            "table=0,priority=90,ip,nw_dst=10.96.0.0/12 actions=output:2",
            "table=0,priority=80,tcp,tp_dst=0x8000/0xf000 actions=output:3",
            "table=0,priority=70,dl_dst=01:00:00:00:00:00/01:00:00:00:00:00 actions=output:4",
            "table=0,priority=0 actions=drop");
    assertThat(trace(s, "in_port=9,reg0=0x1ffff").verdict().ports()).containsExactly(1L);
    assertThat(trace(s, "in_port=9,reg0=0xffff").verdict().kind()).isEqualTo(Verdict.Kind.DROP);
    assertThat(trace(s, "in_port=9,ip,nw_dst=10.111.255.1").verdict().ports()).containsExactly(2L);
    assertThat(trace(s, "in_port=9,ip,nw_dst=10.112.0.1").verdict().kind())
        .isEqualTo(Verdict.Kind.DROP);
    assertThat(trace(s, "in_port=9,tcp,tp_dst=0x8abc").verdict().ports()).containsExactly(3L);
    assertThat(trace(s, "in_port=9,dl_dst=03:00:00:00:00:01").verdict().ports())
        .containsExactly(4L);
  }

  @Test
  void maskedMatchAgreesWithBitArithmeticForRandomValues() {
    Random rnd = new Random(42);
    for (int i = 0; i < 500; i++) {
      long mask = rnd.nextLong() & 0xffffffffL;
      long value = rnd.nextLong() & mask;
      long reg =
          rnd.nextBoolean()
              ? value | (rnd.nextLong() & ~mask & 0xffffffffL)
              : rnd.nextInt() & 0xffffffffL;
      if (mask == 0) {
        continue;
      }
      Simulator s =
          sim(
              "table=0,priority=10,reg3=0x"
                  + Long.toHexString(value)
                  + "/0x"
                  + Long.toHexString(mask)
                  + " actions=output:1");
      Trace t = trace(s, "in_port=9,reg3=0x" + Long.toHexString(reg));
      assertThat(t.verdict().kind() == Verdict.Kind.OUTPUT).isEqualTo((reg & mask) == value);
    }
  }

  @Test
  void equalPriorityOverlapIsReportedAmbiguousAndTheFirstFlowIsTaken() {
    Trace t =
        trace(
            sim(
                "table=0,priority=100,ip actions=output:1",
                "table=0,priority=100,in_port=9 actions=output:2"),
            "in_port=9,ip");
    assertThat(t.verdict().ports()).containsExactly(1L);
    assertThat(t.ambiguities()).hasSize(1);
    assertThat(t.steps().get(0).note()).contains("ambiguous: 2 flows of priority 100");
  }

  @Test
  void tableMissDrops() {
    Trace t = trace(sim("table=0,priority=1,in_port=1 actions=resubmit(,5)"), "in_port=1");
    assertThat(t.tables()).containsExactly(0, 5);
    assertThat(t.verdict().dropReason()).isEqualTo("table 5: no matching flow (table-miss)");
  }

  // ------------------------------------------------------------ actions

  @Test
  void resubmitReturnsAndContinuesWithTheNextAction() {
    Simulator s =
        sim(
            "table=0,priority=1 actions=resubmit(,1),load:0x7->NXM_NX_REG2[],resubmit(,2)",
            "table=1,priority=1 actions=load:0x5->NXM_NX_REG1[0..15],output:3",
            "table=2,priority=1 actions=output:NXM_NX_REG2[]");
    Trace t = trace(s, "in_port=1");
    assertThat(t.tables()).containsExactly(0, 1, 2);
    assertThat(t.verdict().ports()).containsExactly(3L, 7L);
    assertThat(t.verdict().outputs().get(1).packet().get(MatchField.REG1)).isEqualTo(5);
    assertThat(t.steps().get(1).depth()).isEqualTo(1);
  }

  @Test
  void resubmitWithAPortLooksUpWithThatInPortOnly() {
    Simulator s =
        sim(
            "table=0,priority=1,in_port=1 actions=resubmit(4,1),output:NXM_NX_REG1[]",
            "table=1,priority=1,in_port=4 actions=load:0x4->NXM_NX_REG1[]",
            "table=1,priority=0 actions=drop");
    Trace t = trace(s, "in_port=1");
    // in_port is restored after the lookup: output:4 is not to the input port (1).
    assertThat(t.verdict().ports()).containsExactly(4L);
  }

  @Test
  void resubmitLoopHitsTheDepthLimitAndDrops() {
    Trace t =
        trace(
            sim(
                "table=0,priority=1 actions=output:2,resubmit(,1)",
                "table=1,priority=1 actions=resubmit(,1)"),
            "in_port=1");
    assertThat(t.steps()).hasSize(Simulator.MAX_DEPTH);
    assertThat(t.verdict().kind()).isEqualTo(Verdict.Kind.DROP);
    assertThat(t.verdict().dropReason()).isEqualTo("over max translation depth 64");
  }

  @Test
  void gotoTableContinuesInTheLaterTable() {
    Trace t =
        trace(
            sim(
                "table=0,priority=1 actions=load:0x1->NXM_NX_REG0[16],goto_table:3",
                "table=3,priority=1,reg0=0x10000/0x10000 actions=output:8"),
            "in_port=1");
    assertThat(t.tables()).containsExactly(0, 3);
    assertThat(t.verdict().ports()).containsExactly(8L);
  }

  @Test
  void decTtlOnTtlOneStopsTheActionListAsInvalidTtl() {
    Simulator s = sim("table=0,priority=1,ip actions=dec_ttl,output:2");
    Trace one = trace(s, "in_port=1,ip,nw_ttl=1");
    assertThat(one.verdict().kind()).isEqualTo(Verdict.Kind.DROP);
    assertThat(one.verdict().dropReason()).isEqualTo("table 0: invalid ttl");
    assertThat(one.steps().get(0).note()).contains("invalid ttl 1");
    assertThat(trace(s, "in_port=1,ip").verdict().kind()).isEqualTo(Verdict.Kind.DROP);
    Trace ok = trace(s, "in_port=1,ip,nw_ttl=2");
    assertThat(ok.verdict().outputs().get(0).packet().get(MatchField.NW_TTL)).isEqualTo(1);
  }

  @Test
  void outputRegUsesTheRegisterValueAndSkipsTheInputPort() {
    Simulator s = sim("table=0,priority=1 actions=output:NXM_NX_REG1[0..15]");
    assertThat(trace(s, "in_port=1,reg1=0xabcd0005").verdict().ports()).containsExactly(5L);
    Trace back = trace(s, "in_port=5,reg1=5");
    assertThat(back.verdict().kind()).isEqualTo(Verdict.Kind.DROP);
    assertThat(back.steps().get(0).note()).contains("skipping output to input port 5");
    assertThat(trace(sim("table=0,priority=1 actions=IN_PORT"), "in_port=5").verdict().ports())
        .containsExactly(5L);
  }

  @Test
  void ctExecWritesCtLabelAbove64BitsAndTheRecirculationMatchesIt() {
    Simulator s =
        sim(
            "table=0,priority=1,ip actions=ct(commit,table=1,zone=1,exec(load:0x1->NXM_NX_CT_LABEL[100]))",
            "table=1,priority=2,ct_label=0x10000000000000000000000000/0x10000000000000000000000000,ip"
                + " actions=output:5",
            "table=1,priority=1 actions=output:6");
    Trace t = trace(s, "in_port=1,ip");
    assertThat(t.verdict().ports()).containsExactly(5L);
    assertThat(t.verdict().outputs().get(0).packet().ctLabelHigh()).isEqualTo(1L << 36);
  }

  @Test
  void loadAndMoveRespectSubfields() {
    Simulator s =
        sim(
            "table=0,priority=1 actions=load:0x3->NXM_NX_REG0[4..5],"
                + "move:NXM_NX_REG0[0..7]->NXM_NX_REG2[8..15],output:1");
    Packet out = trace(s, "in_port=9,reg0=0xff0f,reg2=0x1").verdict().outputs().get(0).packet();
    assertThat(out.get(MatchField.REG0)).isEqualTo(0xff3f);
    assertThat(out.get(MatchField.REG2)).isEqualTo(0x3f01);
  }

  @Test
  void selectGroupPicksOneBucketDeterministicallyAndAllGroupEveryBucket() {
    List<Flow> flows =
        List.of(
            FlowText.parse("table=0,priority=1,in_port=1 actions=group:1", PortNames.NONE),
            FlowText.parse("table=0,priority=1,in_port=2 actions=group:2", PortNames.NONE));
    List<Group> groups =
        List.of(
            FlowText.parseGroup(
                "group_id=1,type=select,bucket=weight:100,actions=output:10,"
                    + "bucket=weight:100,actions=output:11",
                PortNames.NONE),
            FlowText.parseGroup(
                "group_id=2,type=all,bucket=actions=load:0x1->NXM_NX_REG3[],output:20,"
                    + "bucket=actions=output:NXM_NX_REG3[]",
                PortNames.NONE));
    Simulator s = new Simulator(flows, groups);
    Set<Long> seen = new HashSet<>();
    for (int port = 1000; port < 1040; port++) {
      Trace t = trace(s, "in_port=1,tcp,nw_src=10.0.0.1,nw_dst=10.0.0.2,tp_src=" + port);
      assertThat(t.verdict().ports()).hasSize(1);
      assertThat(trace(s, "in_port=1,tcp,nw_src=10.0.0.1,nw_dst=10.0.0.2,tp_src=" + port).verdict())
          .isEqualTo(t.verdict());
      seen.addAll(t.verdict().ports());
    }
    assertThat(seen).containsExactlyInAnyOrder(10L, 11L);
    // all: each bucket works on its own copy, so the second bucket does not see reg3=1.
    Trace all = trace(s, "in_port=2");
    assertThat(all.verdict().ports()).containsExactly(20L);
  }

  @Test
  void ctWithoutTableContinuesAndCtWithTableRecirculatesWithTheNextState() {
    Simulator s =
        sim(
            "table=0,priority=1,ip actions=ct(zone=5),ct(table=1,zone=7),output:3",
            "table=1,priority=10,ct_state=+est+trk,ip actions=ct(commit,table=2,zone=7,exec(load:0x1->NXM_NX_CT_MARK[]))",
            "table=2,priority=10,ct_state=+trk,ct_mark=0x1,ip actions=output:4");
    Trace t = s.trace(Microflow.parse("in_port=1,ip", PortNames.NONE), CtNext.of("trk,est"));
    assertThat(t.tables()).containsExactly(0, 1, 2);
    assertThat(t.verdict().ports()).containsExactly(3L, 4L);
    // The original pass continues after ct(table=1) with the ct fields cleared.
    assertThat(t.verdict().outputs().get(0).packet().get(MatchField.CT_STATE)).isZero();
    assertThat(t.verdict().outputs().get(1).packet().get(MatchField.CT_ZONE)).isEqualTo(7);
    assertThat(t.passes())
        .extracting(Trace.Pass::defaultCtState)
        .containsExactly(false, false, true);
    assertThat(t.conntrack()).extracting(Trace.CtEvent::recirculateTo).containsExactly(-1, 1, 2);
  }

  @Test
  void ctMarkGivenInTheMicroflowSurvivesIntoTheRecirculation() {
    Trace t =
        Simulator.of(SeedFlows.worker1())
            .trace(
                Microflow.parse(
                    "in_port=antrea-gw0,ct_mark=0x20,tcp,dl_src=4e:99:08:c1:53:be,"
                        + "dl_dst=be:2c:bf:e4:ec:c5,nw_src=10.222.1.47,nw_dst=10.222.1.48,"
                        + "tcp_src=80,nw_ttl=64",
                    SeedFlows.WORKER1),
                CtNext.of("trk,est"));
    // Reply from the gateway of a connection committed with ct_mark=0x20: table 31 priority 210.
    Trace.Step t31 = t.steps().stream().filter(x -> x.table() == 31).findFirst().orElseThrow();
    assertThat(t31.flow().priority()).isEqualTo(210);
  }

  @Test
  void nonexistentGroupAndControllerOutput() {
    Trace t = trace(sim("table=0,priority=1 actions=group:9,CONTROLLER:65535"), "in_port=1");
    assertThat(t.verdict().kind()).isEqualTo(Verdict.Kind.CONTROLLER);
    assertThat(t.verdict().ports()).containsExactly(OfPort.CONTROLLER);
    assertThat(t.steps().get(0).note()).contains("group 9 does not exist");
  }

  // ------------------------------------------------------------ microflow

  @Test
  void microflowRefusesMasksAndUnmodelledFields() {
    assertThatThrownBy(() -> Microflow.parse("ip,nw_src=10.0.0.0/8", PortNames.NONE))
        .isInstanceOf(FlowParseException.class)
        .hasMessageContaining("masked");
    assertThatThrownBy(() -> Microflow.parse("vlan_tci=0x1005", PortNames.NONE))
        .hasMessageContaining("not modelled");
    assertThatThrownBy(() -> Microflow.parse("nw_src=10.0.0.1", PortNames.NONE))
        .isInstanceOf(FlowParseException.class);
  }

  @Test
  void microflowAcceptsOvsFlowLinesAndAliases() {
    Microflow m =
        Microflow.parse(
            "recirc_id=0,ct_state=new|trk,eth,tcp,reg0=0x2,in_port=6,vlan_tci=0x0000,"
                + "dl_src=be:2c:bf:e4:ec:c5,nw_src=10.222.1.48,nw_dst=10.104.65.133,nw_tos=0,"
                + "nw_ecn=0,nw_ttl=64,nw_frag=no,tp_src=0,tcp_dst=80,tcp_flags=0",
            PortNames.NONE);
    Packet p = m.packet();
    assertThat(p.get(MatchField.CT_STATE)).isEqualTo(0x21);
    assertThat(p.get(MatchField.IN_PORT)).isEqualTo(6);
    assertThat(p.get(MatchField.TP_DST)).isEqualTo(80);
    assertThat(p.get(MatchField.IP_PROTO)).isEqualTo(6);
    assertThat(m.format(PortNames.NONE)).startsWith("ct_state=new|trk,tcp,reg0=0x2,in_port=6,");
    assertThat(Microflow.parse(m.format(PortNames.NONE), PortNames.NONE)).isEqualTo(m);
  }

  @Test
  void unknownActionsAreNotedNotDropped() {
    Flow f =
        Flow.of(
            0,
            1,
            0,
            dev.sluice.compiler.flow.Match.any(),
            List.of(new Action.Unknown(new byte[] {1, 2}), new Action.Output(3, 0)));
    Trace t = Simulator.of(List.of(f)).trace(Microflow.parse("in_port=1", PortNames.NONE));
    assertThat(t.verdict().ports()).containsExactly(3L);
    assertThat(t.steps().get(0).note()).contains("not simulated");
  }
}
