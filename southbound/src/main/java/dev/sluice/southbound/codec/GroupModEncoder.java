package dev.sluice.southbound.codec;

import dev.sluice.compiler.flow.FlowText;
import dev.sluice.compiler.flow.Group;
import dev.sluice.compiler.flow.PortNames;
import io.netty.buffer.ByteBuf;

/**
 * OFPT_GROUP_MOD: header 8 | command u16 | type u8 | pad | group_id u32 | buckets, each {@code len
 * u16, weight u16, watch_port u32, watch_group u32, pad 4, actions}. Stateless.
 */
public final class GroupModEncoder {
  static final int BUCKET_HEADER = 16;

  private GroupModEncoder() {}

  /** The exact length; throws when it would exceed 65,535 bytes (split the group's buckets). */
  public static int length(GroupMod mod) {
    long len = 16;
    if (mod.command() != GroupMod.Command.DELETE) {
      for (Group.Bucket b : mod.group().buckets()) {
        len += BUCKET_HEADER + ActionCodec.length(b.actions());
      }
    }
    if (len > Wire.MAX_MESSAGE) {
      throw new IllegalArgumentException(
          "GROUP_MOD would be "
              + len
              + " bytes, over OpenFlow's 65,535-byte limit: "
              + FlowModEncoder.abbreviate(FlowText.formatGroup(mod.group(), PortNames.NONE)));
    }
    return (int) len;
  }

  public static void encode(ByteBuf out, int xid, GroupMod mod) {
    int len = length(mod);
    Group g = mod.group();
    Wire.writeHeader(out, Wire.OFPT_GROUP_MOD, len, xid);
    out.writeShort(mod.command().wire()).writeByte(g.type().wire()).writeByte(0);
    out.writeInt((int) g.groupId());
    if (mod.command() != GroupMod.Command.DELETE) {
      for (Group.Bucket b : g.buckets()) {
        out.writeShort(BUCKET_HEADER + ActionCodec.length(b.actions())).writeShort(b.weight());
        out.writeInt((int) b.watchPort()).writeInt((int) b.watchGroup()).writeInt(0);
        ActionCodec.encode(out, b.actions(), -1);
      }
    }
  }
}
