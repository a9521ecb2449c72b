package dev.sluice.compiler.compile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.compiler.cluster.Protocol;
import dev.sluice.compiler.flow.Action;
import dev.sluice.compiler.flow.Flow;
import dev.sluice.compiler.flow.FlowText;
import dev.sluice.compiler.flow.PortNames;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FlowMergerTest {

  private static Flow parse(String s) {
    return FlowText.parse(s, PortNames.NONE);
  }

  @Test
  void identicalClauseFlowsShareOneFlowWithSortedConjunctions() {
    Flow a =
        parse(
            "cookie=0x1050000000009, table=50, priority=200,ip,nw_src=10.0.0.1 actions=conjunction(9,1/3)");
    Flow b =
        parse(
            "cookie=0x1050000000002, table=50, priority=200,ip,nw_src=10.0.0.1 actions=conjunction(2,1/2)");
    assertThat(FlowText.format(FlowMerger.merge(List.of(a, b)), PortNames.NONE))
        .isEqualTo(
            "cookie=0x1050000000002, table=50, priority=200,ip,nw_src=10.0.0.1"
                + " actions=conjunction(2,1/2),conjunction(9,1/3)");
    assertThat(FlowMerger.merge(List.of(b, a))).isEqualTo(FlowMerger.merge(List.of(a, b)));
  }

  @Test
  void oversizedClauseFlowMovesWholeRulesToLowerPriorityTiers() {
    List<Flow> flows = new ArrayList<>();
    List<Action> many = new ArrayList<>();
    for (int id = 1; id <= 40; id++) {
      many.add(new Action.Conjunction(id, 1, 2));
    }
    flows.add(
        Flow.of(
            50,
            200,
            0x1050000000001L,
            FlowText.parseMatch("ip,nw_src=10.0.0.1", PortNames.NONE),
            many));
    for (int id = 1; id <= 40; id++) {
      flows.add(
          Flow.of(
              50,
              200,
              0x1050000000000L | id,
              FlowText.parseMatch("ip,nw_dst=10.1.0." + id, PortNames.NONE),
              List.of(new Action.Conjunction(id, 2, 2))));
    }
    int limit = 400;
    List<Flow> out = FlowMerger.tier(flows, 200, limit);
    assertThat(out).allMatch(f -> FlowMerger.estimateBytes(f) <= limit);
    // Every conj id keeps all its clauses on one priority.
    for (int id = 1; id <= 40; id++) {
      final long conj = id;
      List<Integer> prios =
          out.stream()
              .filter(
                  f ->
                      f.actions().stream()
                          .anyMatch(a -> a instanceof Action.Conjunction c && c.id() == conj))
              .map(Flow::priority)
              .distinct()
              .toList();
      assertThat(prios).as("conj %d", id).hasSize(1);
      assertThat(prios.get(0)).isBetween(192, 200);
    }
    assertThat(out.stream().map(Flow::priority).distinct().count()).isGreaterThan(1);
    // Small enough tables are left alone.
    assertThat(FlowMerger.tier(flows, 200, 65535)).isSameAs(flows);
  }

  @ParameterizedTest(name = "{0} {1}-{2} -> {3}")
  @CsvSource(
      delimiter = '|',
      value = {
        "TCP|80|80|tcp,tp_dst=80",
        "UDP|53|53|udp,tp_dst=53",
        "SCTP|0|65535|sctp",
        "TCP|8000|8100|tcp,tp_dst=0x1f40/0xffc0;tcp,tp_dst=0x1f80/0xffe0;tcp,tp_dst=0x1fa0/0xfffc;tcp,tp_dst=0x1fa4",
        "TCP|1|65535|tcp,tp_dst=0x1/0xffff;tcp,tp_dst=0x2/0xfffe;tcp,tp_dst=0x4/0xfffc;tcp,tp_dst=0x8/0xfff8;tcp,tp_dst=0x10/0xfff0;tcp,tp_dst=0x20/0xffe0;tcp,tp_dst=0x40/0xffc0;tcp,tp_dst=0x80/0xff80;tcp,tp_dst=0x100/0xff00;tcp,tp_dst=0x200/0xfe00;tcp,tp_dst=0x400/0xfc00;tcp,tp_dst=0x800/0xf800;tcp,tp_dst=0x1000/0xf000;tcp,tp_dst=0x2000/0xe000;tcp,tp_dst=0x4000/0xc000;tcp,tp_dst=0x8000/0x8000",
        "TCP|1024|2047|tcp,tp_dst=0x400/0xfc00",
      })
  void portRangesBecomeMinimalValueMaskBlocks(String proto, int lo, int hi, String expected) {
    List<String> got =
        new PortRange(Protocol.valueOf(proto), lo, hi)
            .matches().stream().map(m -> FlowText.formatMatch(m, PortNames.NONE)).toList();
    List<String> want =
        java.util.Arrays.stream(expected.split(";"))
            .map(s -> FlowText.formatMatch(FlowText.parseMatch(s, PortNames.NONE), PortNames.NONE))
            .toList();
    assertThat(got).containsExactlyElementsOf(want);
    // Exactly the ports lo..hi are covered.
    int covered = 0;
    for (int p = 0; p <= 65535; p++) {
      final int port = p;
      boolean in =
          new PortRange(Protocol.valueOf(proto), lo, hi)
              .matches().stream()
                  .anyMatch(
                      m ->
                          m.get(dev.sluice.compiler.flow.MatchField.TP_DST)
                              .map(f -> f.matches(port))
                              .orElse(true));
      assertThat(in).as("port %d", p).isEqualTo(p >= lo && p <= hi);
      covered += in ? 1 : 0;
    }
    assertThat(covered).isEqualTo(hi - lo + 1);
  }
}
