package dev.sluice.southbound.tables;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.compiler.flow.Action;
import dev.sluice.compiler.flow.Flow;
import dev.sluice.compiler.flow.FlowText;
import dev.sluice.compiler.flow.Group;
import dev.sluice.compiler.flow.PortNames;
import dev.sluice.compiler.flow.TableChanges;
import dev.sluice.southbound.channel.OutgoingMessage;
import dev.sluice.southbound.wire.MessageType;
import java.util.List;
import org.junit.jupiter.api.Test;

class TableSyncTest {
  private static Flow flow(String text) {
    return FlowText.parse(text, PortNames.NONE);
  }

  private static Group group(long id, int port) {
    return new Group(
        id,
        Group.Type.SELECT,
        List.of(Group.Bucket.of(0, 100, List.of(new Action.Output(port, 0)))));
  }

  @Test
  void messagesAreOnePerOperationInBundleOrder() {
    Flow gone = flow("table=0,priority=2,arp actions=drop");
    Flow changedOld = flow("cookie=0x1,table=10,priority=5,ip actions=drop");
    Flow changedNew = flow("cookie=0x1,table=10,priority=5,ip actions=group:2");
    Flow added = flow("table=20,priority=5,ip actions=group:1");
    TableChanges changes =
        TableChanges.between(
            List.of(gone, changedOld),
            List.of(group(2, 6), group(3, 8)),
            List.of(changedNew, added),
            List.of(group(1, 5), group(2, 7)));

    List<OutgoingMessage> m = TableSync.messages(changes, PortNames.NONE);

    assertThat(m).hasSize(changes.bundle().size());
    assertThat(m)
        .extracting(OutgoingMessage::type)
        .containsExactly(
            MessageType.GROUP_MOD.code(),
            MessageType.GROUP_MOD.code(),
            MessageType.FLOW_MOD.code(),
            MessageType.FLOW_MOD.code(),
            MessageType.FLOW_MOD.code(),
            MessageType.GROUP_MOD.code());
    assertThat(m)
        .extracting(x -> String.valueOf(x.context()).split(" ")[0])
        .containsExactly("add", "modify", "delete_strict", "modify_strict", "add", "delete");
    assertThat(String.valueOf(m.get(2).context())).contains("arp");
    assertThat(String.valueOf(m.get(4).context())).contains("table=20");
  }

  @Test
  void noChangesSendNoMessages() {
    assertThat(TableSync.messages(TableChanges.NONE, PortNames.NONE)).isEmpty();
  }
}
