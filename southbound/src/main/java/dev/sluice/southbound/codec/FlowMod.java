package dev.sluice.southbound.codec;

import dev.sluice.compiler.flow.Flow;
import dev.sluice.compiler.flow.Match;
import java.util.List;

/**
 * One OFPT_FLOW_MOD: a command and the flow (or, for deletes, the flow pattern: table, priority,
 * match, cookie and cookie mask). {@code allTables} sends table OFPTT_ALL (0xff), only for deletes.
 */
public record FlowMod(Command command, Flow flow, boolean allTables) {

  /** ofp_flow_mod_command. */
  public enum Command {
    ADD(0),
    MODIFY(1),
    MODIFY_STRICT(2),
    DELETE(3),
    DELETE_STRICT(4);

    private final int wire;

    Command(int wire) {
      this.wire = wire;
    }

    public int wire() {
      return wire;
    }

    boolean isDelete() {
      return this == DELETE || this == DELETE_STRICT;
    }
  }

  public FlowMod {
    if (allTables && !command.isDelete()) {
      throw new IllegalArgumentException("only deletes may target all tables (OFPTT_ALL)");
    }
  }

  public static FlowMod add(Flow flow) {
    return new FlowMod(Command.ADD, flow, false);
  }

  public static FlowMod modifyStrict(Flow flow) {
    return new FlowMod(Command.MODIFY_STRICT, flow, false);
  }

  public static FlowMod deleteStrict(Flow flow) {
    return new FlowMod(Command.DELETE_STRICT, flow, false);
  }

  /** Non-strict delete of every flow in {@code pattern}'s table its match and cookie/mask cover. */
  public static FlowMod delete(Flow pattern) {
    return new FlowMod(Command.DELETE, pattern, false);
  }

  /** Deletes, in every table, the flows whose cookie matches {@code cookie} under {@code mask}. */
  public static FlowMod deleteByCookie(long cookie, long mask) {
    return new FlowMod(
        Command.DELETE, new Flow(0, 0, cookie & mask, mask, Match.any(), List.of(), 0, 0), true);
  }
}
