package dev.sluice.southbound.codec;

import dev.sluice.compiler.flow.Flow;
import dev.sluice.compiler.flow.FlowText;
import dev.sluice.compiler.flow.PortNames;
import io.netty.buffer.ByteBuf;

/**
 * OFPT_FLOW_MOD (OpenFlow 1.3, 56 bytes + match + instructions):
 *
 * <pre>
 * header 8 | cookie u64 | cookie_mask u64 | table_id u8 | command u8 | idle_timeout u16 |
 * hard_timeout u16 | priority u16 | buffer_id u32 (0xffffffff) | out_port u32 (ANY) |
 * out_group u32 (ANY) | flags u16 (0) | pad 2 | ofp_match (padded) | instructions
 * </pre>
 *
 * Deletes carry no instructions. Stateless and thread-safe.
 */
public final class FlowModEncoder {
  static final int FIXED_LEN = 48;

  private FlowModEncoder() {}

  /** The exact length of the message; throws when it would exceed 65,535 bytes. */
  public static int length(FlowMod mod) {
    Flow f = mod.flow();
    long len =
        (long) FIXED_LEN
            + MatchCodec.length(f.match())
            + (mod.command().isDelete() ? 0 : InstructionCodec.length(f.actions()));
    if (len > Wire.MAX_MESSAGE) {
      throw new IllegalArgumentException(
          "FLOW_MOD would be "
              + len
              + " bytes, over OpenFlow's 65,535-byte limit (split the flow, e.g. its conjunction"
              + " actions): "
              + abbreviate(FlowText.format(f, PortNames.NONE)));
    }
    return (int) len;
  }

  /** Writes the whole FLOW_MOD with {@code xid} at the writer index of {@code out}. */
  public static void encode(ByteBuf out, int xid, FlowMod mod) {
    int len = length(mod);
    Flow f = mod.flow();
    int start = out.writerIndex();
    Wire.writeHeader(out, Wire.OFPT_FLOW_MOD, len, xid);
    out.writeLong(f.cookie()).writeLong(f.cookieMask());
    out.writeByte(mod.allTables() ? Wire.OFPTT_ALL : f.table()).writeByte(mod.command().wire());
    out.writeShort(f.idleTimeout()).writeShort(f.hardTimeout()).writeShort(f.priority());
    out.writeInt(Wire.OFP_NO_BUFFER).writeInt(Wire.OFPP_ANY).writeInt(Wire.OFPG_ANY);
    out.writeShort(0).writeShort(0);
    MatchCodec.encode(out, f.match());
    if (!mod.command().isDelete()) {
      InstructionCodec.encode(out, f.actions(), MatchCodec.ipProto(f.match()));
    }
    if (out.writerIndex() - start != len) {
      throw new AssertionError("FLOW_MOD length mismatch for " + f);
    }
  }

  static String abbreviate(String s) {
    return s.length() <= 300 ? s : s.substring(0, 300) + "... (" + s.length() + " chars)";
  }
}
