package dev.sluice.southbound.codec;

import dev.sluice.compiler.flow.Group;

/** One OFPT_GROUP_MOD: a command and the group (deletes send only its id and type). */
public record GroupMod(Command command, Group group) {

  /** ofp_group_mod_command. */
  public enum Command {
    ADD(0),
    MODIFY(1),
    DELETE(2);

    private final int wire;

    Command(int wire) {
      this.wire = wire;
    }

    public int wire() {
      return wire;
    }
  }

  public static GroupMod add(Group g) {
    return new GroupMod(Command.ADD, g);
  }

  public static GroupMod modify(Group g) {
    return new GroupMod(Command.MODIFY, g);
  }

  public static GroupMod delete(Group g) {
    return new GroupMod(Command.DELETE, g);
  }
}
