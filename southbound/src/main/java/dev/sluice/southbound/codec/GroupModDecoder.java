package dev.sluice.southbound.codec;

import io.netty.buffer.ByteBuf;

/** Decodes an OFPT_GROUP_MOD (see {@link GroupModEncoder} for the layout). */
public final class GroupModDecoder {
  private GroupModDecoder() {}

  public static GroupMod decode(ByteBuf message) throws CodecException {
    ByteBuf m = message.slice();
    try {
      int len = Wire.checkHeader(m, Wire.OFPT_GROUP_MOD, "GROUP_MOD");
      Wire.need(m, 8, 8, len, "GROUP_MOD command, type and group_id");
      int command = Wire.u16(m, 8);
      GroupMod.Command cmd = null;
      for (GroupMod.Command c : GroupMod.Command.values()) {
        if (c.wire() == command) {
          cmd = c;
        }
      }
      if (cmd == null) {
        throw new CodecException(8, "a group_mod command 0..2, not " + command);
      }
      return new GroupMod(
          cmd, MultipartReplyDecoder.group(m, 8, Wire.u8(m, 10), Wire.u32(m, 12), 16, len));
    } catch (RuntimeException e) {
      throw MultipartReplyDecoder.unexpected(e);
    }
  }
}
