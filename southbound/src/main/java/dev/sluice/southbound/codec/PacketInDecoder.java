package dev.sluice.southbound.codec;

import io.netty.buffer.ByteBuf;

/**
 * OFPT_PACKET_IN (OpenFlow 1.3): header 8 | buffer_id u32 | total_len u16 | reason u8 | table_id u8
 * | cookie u64 | ofp_match (padded) | pad 2 | data.
 */
public final class PacketInDecoder {
  private PacketInDecoder() {}

  public static PacketIn decode(ByteBuf message) throws CodecException {
    ByteBuf m = message.slice();
    try {
      int len = Wire.checkHeader(m, Wire.OFPT_PACKET_IN, "PACKET_IN");
      Wire.need(m, 8, 16, len, "PACKET_IN fixed fields (buffer_id .. cookie)");
      MatchCodec.Decoded match = MatchCodec.decode(m, 24, len);
      int data = 24 + match.length() + 2;
      Wire.need(m, data - 2, 2, len, "two bytes of padding after the match");
      return new PacketIn(
          m.getInt(4),
          Wire.u32(m, 8),
          Wire.u16(m, 12),
          Wire.u8(m, 14),
          Wire.u8(m, 15),
          m.getLong(16),
          match.match(),
          match.unknown(),
          Wire.bytes(m, data, len - data));
    } catch (RuntimeException e) {
      throw MultipartReplyDecoder.unexpected(e);
    }
  }
}
