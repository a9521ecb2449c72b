package dev.sluice.compiler.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class FlowSetDiffTest {
  private static Flow f(String text) {
    return FlowText.parse(text, PortNames.NONE);
  }

  @Test
  void equalSetsGiveAnEmptyDiff() {
    List<Flow> flows =
        List.of(f("table=0,priority=1,ip actions=drop"), f("table=10, actions=drop"));
    assertThat(FlowSetDiff.between(flows, flows).isEmpty()).isTrue();
  }

  @Test
  void classifiesAddsDeletesAndModifies() {
    Flow keep = f("table=0,priority=1,ip actions=resubmit(,10)");
    Flow gone = f("table=0,priority=2,arp actions=drop");
    Flow changedOld = f("cookie=0x1,table=10,priority=5,ip actions=drop");
    Flow changedNew = f("cookie=0x2,table=10,priority=5,ip actions=drop");
    Flow added = f("table=20,priority=5,ip actions=drop");
    FlowSetDiff d =
        FlowSetDiff.between(List.of(keep, gone, changedOld), List.of(keep, changedNew, added));
    assertThat(d.deletes()).containsExactly(gone);
    assertThat(d.modifies()).containsExactly(changedNew);
    assertThat(d.adds()).containsExactly(added);
    assertThat(d.size()).isEqualTo(3);
  }

  @Test
  void conflictingDesiredFlowsAreNamed() {
    assertThatThrownBy(
            () ->
                FlowSetDiff.between(
                    List.of(),
                    List.of(
                        f("table=0,priority=1,ip actions=drop"),
                        f("table=0,priority=1,ip actions=resubmit(,10)"))))
        .hasMessageContaining("desired")
        .hasMessageContaining("resubmit(,10)");
  }
}
