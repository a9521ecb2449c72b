package dev.sluice.compiler.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class TableChangesTest {
  private static Flow f(String text) {
    return FlowText.parse(text, PortNames.NONE);
  }

  private static Group group(long id, int port) {
    return new Group(
        id,
        Group.Type.SELECT,
        List.of(Group.Bucket.of(0, 100, List.of(new Action.Output(port, 0)))));
  }

  private static TableChanges flows(List<Flow> installed, List<Flow> desired) {
    return TableChanges.between(installed, List.of(), desired, List.of());
  }

  @Test
  void equalSetsGiveNoChanges() {
    List<Flow> flows =
        List.of(f("table=0,priority=1,ip actions=drop"), f("table=10, actions=drop"));
    assertThat(flows(flows, flows).isEmpty()).isTrue();
    assertThat(flows(flows, flows)).isEqualTo(TableChanges.NONE);
  }

  @Test
  void classifiesAddsDeletesAndModifies() {
    Flow keep = f("table=0,priority=1,ip actions=resubmit(,10)");
    Flow gone = f("table=0,priority=2,arp actions=drop");
    Flow changedOld = f("cookie=0x1,table=10,priority=5,ip actions=drop");
    Flow changedNew = f("cookie=0x1,table=10,priority=5,ip actions=resubmit(,20)");
    Flow added = f("table=20,priority=5,ip actions=drop");
    TableChanges d = flows(List.of(keep, gone, changedOld), List.of(keep, changedNew, added));
    assertThat(d.flowDeletes()).containsExactly(gone);
    assertThat(d.flowModifies()).containsExactly(changedNew);
    assertThat(d.flowAdds()).containsExactly(added);
    assertThat(d.size()).isEqualTo(3);
    assertThat(d.flowCount()).isEqualTo(3);
    assertThat(d.groupCount()).isZero();
  }

  @Test
  void aFlowWhoseCookieChangesIsSentAsAnAddBecauseOvsKeepsTheCookieOnModify() {
    Flow old = f("cookie=0x1, table=90, priority=200,tcp,tp_dst=80 actions=resubmit(,100)");
    Flow recookied = f("cookie=0x2, table=90, priority=200,tcp,tp_dst=80 actions=drop");
    Flow reaction = f("cookie=0x1, table=90, priority=100,ip actions=drop");
    Flow reactionOld = f("cookie=0x1, table=90, priority=100,ip actions=resubmit(,100)");

    TableChanges p =
        TableChanges.between(
            List.of(old, reactionOld), List.of(), List.of(recookied, reaction), List.of());

    assertThat(p.flowAdds()).containsExactly(recookied);
    assertThat(p.flowModifies()).containsExactly(reaction);
    assertThat(p.flowDeletes()).isEmpty();
    assertThat(p.size()).isEqualTo(2);
  }

  @Test
  void aCookieOnlyChangeIsAnAddToo() {
    Flow old = f("cookie=0x1,table=10,priority=5,ip actions=drop");
    Flow now = f("cookie=0x2,table=10,priority=5,ip actions=drop");
    TableChanges d = flows(List.of(old), List.of(now));
    assertThat(d.flowAdds()).containsExactly(now);
    assertThat(d.flowModifies()).isEmpty();
    assertThat(d.flowDeletes()).isEmpty();
  }

  @Test
  void classifiesGroupsById() {
    Group keep = group(1, 5);
    Group changedOld = group(2, 6);
    Group changedNew = group(2, 7);
    Group gone = group(3, 8);
    Group added = group(4, 9);
    TableChanges d =
        TableChanges.between(
            List.of(),
            List.of(keep, changedOld, gone),
            List.of(),
            List.of(added, changedNew, keep));
    assertThat(d.groupAdds()).containsExactly(added);
    assertThat(d.groupModifies()).containsExactly(changedNew);
    assertThat(d.groupDeletes()).containsExactly(gone);
    assertThat(d.groupCount()).isEqualTo(3);
    assertThat(d.flowCount()).isZero();
  }

  @Test
  void theBundlePutsGroupsFirstThenFlowDeletesModifiesAddsThenGroupDeletes() {
    Flow gone = f("table=0,priority=2,arp actions=drop");
    Flow changedOld = f("cookie=0x1,table=10,priority=5,ip actions=drop");
    Flow changedNew = f("cookie=0x1,table=10,priority=5,ip actions=group:2");
    Flow added = f("table=20,priority=5,ip actions=group:1");
    TableChanges d =
        TableChanges.between(
            List.of(gone, changedOld),
            List.of(group(2, 6), group(3, 8)),
            List.of(changedNew, added),
            List.of(group(1, 5), group(2, 7)));
    assertThat(d.bundle())
        .containsExactly(
            new TableOp.GroupAdd(group(1, 5)),
            new TableOp.GroupModify(group(2, 7)),
            new TableOp.FlowDelete(gone),
            new TableOp.FlowModify(changedNew),
            new TableOp.FlowAdd(added),
            new TableOp.GroupDelete(group(3, 8)));
    assertThat(d.bundle())
        .extracting(TableOp::command)
        .containsExactly(
            TableOp.Command.ADD,
            TableOp.Command.MODIFY,
            TableOp.Command.DELETE,
            TableOp.Command.MODIFY,
            TableOp.Command.ADD,
            TableOp.Command.DELETE);
    assertThat(d.bundle()).hasSize(d.size());
  }

  @Test
  void listsAreSortedByKeySoEqualChangesAreEqualValues() {
    Flow a = f("table=0,priority=9,ip actions=drop");
    Flow b = f("table=0,priority=1,ip actions=drop");
    Flow c = f("table=10,priority=5,ip actions=drop");
    assertThat(TableChanges.ofFlows(List.of(), List.of(), List.of(c, b, a)))
        .isEqualTo(TableChanges.ofFlows(List.of(), List.of(), List.of(a, b, c)));
    assertThat(TableChanges.ofFlows(List.of(), List.of(), List.of(c, b, a)).flowAdds())
        .containsExactly(a, b, c);
  }

  @Test
  void replacingClassifiesTrackedVersionsLikeTheFullCompare() {
    Flow keep = f("table=0,priority=1,ip actions=resubmit(,10)");
    Flow gone = f("table=0,priority=2,arp actions=drop");
    Flow modOld = f("cookie=0x1,table=10,priority=5,ip actions=drop");
    Flow modNew = f("cookie=0x1,table=10,priority=5,ip actions=resubmit(,20)");
    Flow recookOld = f("cookie=0x1,table=10,priority=6,ip actions=drop");
    Flow recookNew = f("cookie=0x3,table=10,priority=6,ip actions=drop");
    Flow added = f("table=20,priority=5,ip actions=drop");
    TableChanges tracked =
        TableChanges.replacing(List.of(gone, modOld, recookOld), List.of(modNew, recookNew, added));
    assertThat(tracked)
        .isEqualTo(
            flows(List.of(keep, gone, modOld, recookOld), List.of(keep, modNew, recookNew, added)));
    assertThat(tracked.flowAdds()).containsExactly(recookNew, added);
  }

  @Test
  void conflictingDesiredFlowsAreNamed() {
    assertThatThrownBy(
            () ->
                flows(
                    List.of(),
                    List.of(
                        f("table=0,priority=1,ip actions=drop"),
                        f("table=0,priority=1,ip actions=resubmit(,10)"))))
        .hasMessageContaining("desired")
        .hasMessageContaining("resubmit(,10)");
  }

  @Test
  void conflictingGroupsAreNamed() {
    assertThatThrownBy(
            () ->
                TableChanges.between(
                    List.of(), List.of(), List.of(), List.of(group(7, 1), group(7, 2))))
        .hasMessageContaining("group_id=7");
  }
}
