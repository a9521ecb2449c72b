package dev.sluice.southbound.codec;

import dev.sluice.compiler.flow.Match;
import io.netty.buffer.ByteBuf;

/**
 * OFPT_MULTIPART_REQUEST: header 8 | type u16 | flags u16 | pad 4 | body. The flow-stats body is
 * {@code table_id u8, pad 3, out_port u32, out_group u32, pad 4, cookie u64, cookie_mask u64,
 * ofp_match}; group-desc has no body.
 */
public final class MultipartRequestEncoder {
  /** OFPTT_ALL: every table. */
  public static final int ALL_TABLES = Wire.OFPTT_ALL;

  private MultipartRequestEncoder() {}

  /** Flow stats of every flow in {@code table} (or {@link #ALL_TABLES}) matching the cookie. */
  public static void encodeFlowStats(
      ByteBuf out, int xid, int table, long cookie, long cookieMask) {
    int len = 16 + 32 + MatchCodec.length(Match.any());
    Wire.writeHeader(out, Wire.OFPT_MULTIPART_REQUEST, len, xid);
    out.writeShort(Wire.OFPMP_FLOW).writeShort(0).writeInt(0);
    out.writeByte(table).writeZero(3).writeInt(Wire.OFPP_ANY).writeInt(Wire.OFPG_ANY).writeInt(0);
    out.writeLong(cookie & cookieMask).writeLong(cookieMask);
    MatchCodec.encode(out, Match.any());
  }

  /** All groups' descriptions. */
  public static void encodeGroupDesc(ByteBuf out, int xid) {
    Wire.writeHeader(out, Wire.OFPT_MULTIPART_REQUEST, 16, xid);
    out.writeShort(Wire.OFPMP_GROUP_DESC).writeShort(0).writeInt(0);
  }
}
