package dev.sluice.southbound.tables;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.compiler.flow.Flow;
import dev.sluice.compiler.flow.FlowText;
import dev.sluice.compiler.flow.PortNames;
import java.util.List;
import org.junit.jupiter.api.Test;

class TablePlanTest {
  private static Flow flow(String text) {
    return FlowText.parse(text, PortNames.NONE);
  }

  @Test
  void aFlowWhoseCookieChangesIsSentAsAnAddBecauseOvsKeepsTheCookieOnModify() {
    Flow old = flow("cookie=0x1, table=90, priority=200,tcp,tp_dst=80 actions=resubmit(,100)");
    Flow recookied = flow("cookie=0x2, table=90, priority=200,tcp,tp_dst=80 actions=drop");
    Flow reaction = flow("cookie=0x1, table=90, priority=100,ip actions=drop");
    Flow reactionOld = flow("cookie=0x1, table=90, priority=100,ip actions=resubmit(,100)");

    TablePlan p =
        TablePlan.between(
            List.of(old, reactionOld), List.of(), List.of(recookied, reaction), List.of());

    assertThat(p.flows().adds()).containsExactly(recookied);
    assertThat(p.flows().modifies()).containsExactly(reaction);
    assertThat(p.flows().deletes()).isEmpty();
    assertThat(p.size()).isEqualTo(2);
  }
}
