package dev.sluice.southbound.codec;

import dev.sluice.compiler.flow.Flow;
import io.netty.buffer.ByteBuf;
import java.util.List;

/**
 * Decodes an OFPT_FLOW_MOD (see {@link FlowModEncoder} for the layout), e.g. what {@code ovs-ofctl}
 * sends or what a switch echoes back in an error. A FLOW_MOD whose match or instructions the model
 * cannot express exactly is refused with a {@link CodecException}.
 */
public final class FlowModDecoder {
  private FlowModDecoder() {}

  public static FlowMod decode(ByteBuf message) throws CodecException {
    ByteBuf m = message.slice();
    try {
      int len = Wire.checkHeader(m, Wire.OFPT_FLOW_MOD, "FLOW_MOD");
      Wire.need(m, 8, FlowModEncoder.FIXED_LEN - 8, len, "FLOW_MOD fixed fields");
      long cookie = m.getLong(8);
      long cookieMask = m.getLong(16);
      int table = Wire.u8(m, 24);
      int command = Wire.u8(m, 25);
      FlowMod.Command cmd = null;
      for (FlowMod.Command c : FlowMod.Command.values()) {
        if (c.wire() == command) {
          cmd = c;
        }
      }
      if (cmd == null) {
        throw new CodecException(25, "a flow_mod command 0..4, not " + command);
      }
      MatchCodec.Decoded match = MatchCodec.decode(m, FlowModEncoder.FIXED_LEN, len);
      if (!match.unknown().isEmpty()) {
        throw new CodecException(
            FlowModEncoder.FIXED_LEN, "match fields the model has, not " + match.unknown());
      }
      InstructionCodec.Decoded ins =
          InstructionCodec.decode(m, FlowModEncoder.FIXED_LEN + match.length(), len);
      if (!ins.unknown().isEmpty()) {
        throw new CodecException(
            FlowModEncoder.FIXED_LEN + match.length(),
            "APPLY_ACTIONS/GOTO_TABLE instructions, not " + ins.unknown());
      }
      boolean allTables = table == Wire.OFPTT_ALL;
      try {
        Flow f =
            new Flow(
                allTables ? 0 : table,
                Wire.u16(m, 30),
                cookie,
                cookieMask,
                match.match(),
                cmd == FlowMod.Command.DELETE || cmd == FlowMod.Command.DELETE_STRICT
                    ? List.of()
                    : ins.actions(),
                Wire.u16(m, 26),
                Wire.u16(m, 28));
        return new FlowMod(cmd, f, allTables);
      } catch (IllegalArgumentException e) {
        throw new CodecException(0, "a flow the model accepts: " + e.getMessage());
      }
    } catch (RuntimeException e) {
      throw MultipartReplyDecoder.unexpected(e);
    }
  }
}
