package dev.sluice.compiler.flow;

/**
 * One flow-mod or group-mod of a bundle, as {@link TableChanges#bundle()} orders them. The
 * southbound encodes each as one message ({@code OFPFC_ADD}, {@code OFPFC_MODIFY_STRICT}, {@code
 * OFPFC_DELETE_STRICT}; {@code OFPGC_ADD}, {@code OFPGC_MODIFY}, {@code OFPGC_DELETE}); a switch's
 * error names a message by its index in that list.
 */
public sealed interface TableOp {

  /** What the message does to its flow or group. */
  enum Command {
    ADD,
    MODIFY,
    DELETE
  }

  /** The command. */
  Command command();

  /** A flow-mod. */
  sealed interface FlowOp extends TableOp {
    /** The flow (for a delete, the installed flow: its key is what the strict delete matches). */
    Flow flow();
  }

  /** A group-mod. */
  sealed interface GroupOp extends TableOp {
    /** The group. */
    Group group();
  }

  /** Installs a flow, or replaces the flow with its key, cookie included. */
  record FlowAdd(Flow flow) implements FlowOp {
    @Override
    public Command command() {
      return Command.ADD;
    }
  }

  /** Replaces the actions and timeouts of the flow with its key (OVS keeps the cookie). */
  record FlowModify(Flow flow) implements FlowOp {
    @Override
    public Command command() {
      return Command.MODIFY;
    }
  }

  /** Removes the flow with its key. */
  record FlowDelete(Flow flow) implements FlowOp {
    @Override
    public Command command() {
      return Command.DELETE;
    }
  }

  /** Installs a group. */
  record GroupAdd(Group group) implements GroupOp {
    @Override
    public Command command() {
      return Command.ADD;
    }
  }

  /** Replaces a group's type and buckets. */
  record GroupModify(Group group) implements GroupOp {
    @Override
    public Command command() {
      return Command.MODIFY;
    }
  }

  /** Removes a group. */
  record GroupDelete(Group group) implements GroupOp {
    @Override
    public Command command() {
      return Command.DELETE;
    }
  }
}
