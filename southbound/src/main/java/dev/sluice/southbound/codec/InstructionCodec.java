package dev.sluice.southbound.codec;

import dev.sluice.compiler.flow.Action;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * Instructions: the model's action list becomes one OFPIT_APPLY_ACTIONS (type 4: len, pad 4,
 * actions) followed, when the list ends with {@link Action.GotoTable}, by OFPIT_GOTO_TABLE (type 1,
 * len 8: table u8, pad 3), the order OVS writes them.
 */
final class InstructionCodec {
  /** Decoded instructions: the model's actions (goto last) and whatever else was there. */
  record Decoded(List<Action> actions, List<RawInstruction> unknown) {}

  private InstructionCodec() {}

  static int length(List<Action> actions) {
    List<Action> apply = applyActions(actions);
    int n = apply.isEmpty() ? 0 : 8 + ActionCodec.length(apply);
    return n + (apply.size() < actions.size() ? 8 : 0);
  }

  static void encode(ByteBuf out, List<Action> actions, int ipProto) {
    List<Action> apply = applyActions(actions);
    if (!apply.isEmpty()) {
      out.writeShort(Wire.OFPIT_APPLY_ACTIONS)
          .writeShort(8 + ActionCodec.length(apply))
          .writeInt(0);
      ActionCodec.encode(out, apply, ipProto);
    }
    if (apply.size() < actions.size()) {
      Action.GotoTable g = (Action.GotoTable) actions.get(actions.size() - 1);
      out.writeShort(Wire.OFPIT_GOTO_TABLE).writeShort(8).writeByte(g.table()).writeZero(3);
    }
  }

  private static List<Action> applyActions(List<Action> actions) {
    if (!actions.isEmpty() && actions.get(actions.size() - 1) instanceof Action.GotoTable) {
      return actions.subList(0, actions.size() - 1);
    }
    return actions;
  }

  static Decoded decode(ByteBuf buf, int index, int end) throws CodecException {
    List<Action> actions = new ArrayList<>();
    List<RawInstruction> unknown = new ArrayList<>();
    Action.GotoTable gotoTable = null;
    int i = index;
    while (i < end) {
      Wire.need(buf, i, 4, end, "an instruction header (type u16, len u16)");
      int type = Wire.u16(buf, i);
      int len = Wire.u16(buf, i + 2);
      if (len < 8 || len % 8 != 0) {
        throw new CodecException(
            i + 2, "an instruction length that is a multiple of 8, not " + len);
      }
      Wire.need(buf, i, len, end, "an instruction of " + len + " bytes");
      if (type == Wire.OFPIT_APPLY_ACTIONS) {
        actions.addAll(ActionCodec.decode(buf, i + 8, i + len));
      } else if (type == Wire.OFPIT_GOTO_TABLE && len == 8 && Wire.u8(buf, i + 4) != 0xff) {
        gotoTable = new Action.GotoTable(Wire.u8(buf, i + 4));
      } else {
        unknown.add(new RawInstruction(Wire.bytes(buf, i, len)));
      }
      i += len;
    }
    if (gotoTable != null) {
      actions.add(gotoTable);
    }
    return new Decoded(actions, unknown);
  }
}
