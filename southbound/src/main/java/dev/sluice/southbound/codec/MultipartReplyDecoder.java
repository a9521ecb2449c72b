package dev.sluice.southbound.codec;

import dev.sluice.compiler.flow.Action;
import dev.sluice.compiler.flow.Flow;
import dev.sluice.compiler.flow.Group;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * OFPT_MULTIPART_REPLY decoding: header 8 | type u16 | flags u16 | pad 4 | body.
 *
 * <p>Flow-stats entries: {@code length u16, table_id u8, pad, duration_sec u32, duration_nsec u32,
 * priority u16, idle_timeout u16, hard_timeout u16, flags u16, pad 4, cookie u64, packet_count u64,
 * byte_count u64, ofp_match, instructions}. Group-desc entries: {@code length u16, type u8, pad,
 * group_id u32, buckets}. Offsets in a {@link CodecException} count from the start of the buffer
 * given (message or body).
 */
public final class MultipartReplyDecoder {
  static final int MULTIPART_HEADER = 16;
  static final int FLOW_STATS_FIXED = 48;

  private MultipartReplyDecoder() {}

  /** Decodes one whole OFPMP_FLOW reply message. */
  public static FlowStatsReply decodeFlowStats(ByteBuf message) throws CodecException {
    ByteBuf m = message.slice();
    try {
      int len = header(m, Wire.OFPMP_FLOW, "OFPMP_FLOW (1)");
      boolean more = (Wire.u16(m, 10) & Wire.OFPMPF_MORE) != 0;
      return new FlowStatsReply(m.getInt(4), more, flowStats(m, MULTIPART_HEADER, len));
    } catch (RuntimeException e) {
      throw unexpected(e);
    }
  }

  /** Decodes the body (the entries) of an OFPMP_FLOW reply. */
  public static List<FlowEntry> decodeFlowStatsBody(ByteBuf body) throws CodecException {
    ByteBuf b = body.slice();
    try {
      return flowStats(b, 0, b.writerIndex());
    } catch (RuntimeException e) {
      throw unexpected(e);
    }
  }

  /** Decodes one whole OFPMP_GROUP_DESC reply message. */
  public static GroupDescReply decodeGroupDesc(ByteBuf message) throws CodecException {
    ByteBuf m = message.slice();
    try {
      int len = header(m, Wire.OFPMP_GROUP_DESC, "OFPMP_GROUP_DESC (7)");
      boolean more = (Wire.u16(m, 10) & Wire.OFPMPF_MORE) != 0;
      return new GroupDescReply(m.getInt(4), more, groupDescs(m, MULTIPART_HEADER, len));
    } catch (RuntimeException e) {
      throw unexpected(e);
    }
  }

  /** Decodes the body (the entries) of an OFPMP_GROUP_DESC reply. */
  public static List<Group> decodeGroupDescBody(ByteBuf body) throws CodecException {
    ByteBuf b = body.slice();
    try {
      return groupDescs(b, 0, b.writerIndex());
    } catch (RuntimeException e) {
      throw unexpected(e);
    }
  }

  private static int header(ByteBuf m, int mpType, String name) throws CodecException {
    int len = Wire.checkHeader(m, Wire.OFPT_MULTIPART_REPLY, "MULTIPART_REPLY");
    Wire.need(m, 8, 8, len, "a multipart header (type, flags, pad)");
    if (Wire.u16(m, 8) != mpType) {
      throw new CodecException(8, "multipart type " + name + ", not " + Wire.u16(m, 8));
    }
    return len;
  }

  static List<FlowEntry> flowStats(ByteBuf b, int index, int end) throws CodecException {
    List<FlowEntry> entries = new ArrayList<>();
    int i = index;
    while (i < end) {
      Wire.need(b, i, FLOW_STATS_FIXED, end, "an ofp_flow_stats entry (48 fixed bytes)");
      int len = Wire.u16(b, i);
      if (len < FLOW_STATS_FIXED + 8 || len % 8 != 0) {
        throw new CodecException(i, "an ofp_flow_stats length (multiple of 8, >= 56), not " + len);
      }
      Wire.need(b, i, len, end, "an ofp_flow_stats entry of " + len + " bytes");
      entries.add(flowEntry(b, i, i + len));
      i += len;
    }
    return entries;
  }

  private static FlowEntry flowEntry(ByteBuf b, int i, int end) throws CodecException {
    int table = Wire.u8(b, i + 2);
    long durationSec = Wire.u32(b, i + 4);
    long durationNsec = Wire.u32(b, i + 8);
    int priority = Wire.u16(b, i + 12);
    int idle = Wire.u16(b, i + 14);
    int hard = Wire.u16(b, i + 16);
    int flags = Wire.u16(b, i + 18);
    long cookie = b.getLong(i + 24);
    long packets = b.getLong(i + 32);
    long bytes = b.getLong(i + 40);
    MatchCodec.Decoded match = MatchCodec.decode(b, i + FLOW_STATS_FIXED, end);
    InstructionCodec.Decoded ins =
        InstructionCodec.decode(b, i + FLOW_STATS_FIXED + match.length(), end);
    Flow flow;
    try {
      flow = new Flow(table, priority, cookie, 0, match.match(), ins.actions(), idle, hard);
    } catch (IllegalArgumentException e) {
      throw new CodecException(i, "a flow the model accepts: " + e.getMessage());
    }
    return new FlowEntry(
        flow, packets, bytes, durationSec, durationNsec, flags, match.unknown(), ins.unknown());
  }

  static List<Group> groupDescs(ByteBuf b, int index, int end) throws CodecException {
    List<Group> groups = new ArrayList<>();
    int i = index;
    while (i < end) {
      Wire.need(b, i, 8, end, "an ofp_group_desc entry (8 fixed bytes)");
      int len = Wire.u16(b, i);
      if (len < 8) {
        throw new CodecException(i, "an ofp_group_desc length of at least 8, not " + len);
      }
      Wire.need(b, i, len, end, "an ofp_group_desc entry of " + len + " bytes");
      groups.add(group(b, i, Wire.u8(b, i + 2), Wire.u32(b, i + 4), i + 8, i + len));
      i += len;
    }
    return groups;
  }

  /** Buckets in {@code [index, end)}; shared with GROUP_MOD decoding in tests. */
  static Group group(ByteBuf b, int at, int type, long groupId, int index, int end)
      throws CodecException {
    Group.Type t;
    try {
      t = Group.Type.fromWire(type);
    } catch (IllegalArgumentException e) {
      throw new CodecException(at + 2, "a group type 0..3, not " + type);
    }
    List<Group.Bucket> buckets = new ArrayList<>();
    int i = index;
    while (i < end) {
      Wire.need(b, i, GroupModEncoder.BUCKET_HEADER, end, "an ofp_bucket (16 fixed bytes)");
      int len = Wire.u16(b, i);
      if (len < GroupModEncoder.BUCKET_HEADER || len % 8 != 0) {
        throw new CodecException(i, "an ofp_bucket length (multiple of 8, >= 16), not " + len);
      }
      Wire.need(b, i, len, end, "an ofp_bucket of " + len + " bytes");
      List<Action> actions = ActionCodec.decode(b, i + GroupModEncoder.BUCKET_HEADER, i + len);
      // OpenFlow 1.3 buckets carry no id; OVS numbers them 0, 1, ... in order.
      buckets.add(
          new Group.Bucket(
              buckets.size(), Wire.u16(b, i + 2), Wire.u32(b, i + 4), Wire.u32(b, i + 8), actions));
      i += len;
    }
    try {
      return new Group(groupId, t, buckets);
    } catch (IllegalArgumentException e) {
      throw new CodecException(at, "a group the model accepts: " + e.getMessage());
    }
  }

  static CodecException unexpected(RuntimeException e) {
    return new CodecException(-1, "well-formed input (" + e + ")");
  }
}
