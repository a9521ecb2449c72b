package dev.sluice.southbound.codec;

import io.netty.buffer.ByteBuf;

/** OpenFlow 1.3 constants and bounds-checked reads shared by the codec (package-private). */
final class Wire {
  static final int OFP_VERSION_13 = 0x04;
  static final int HEADER_LEN = 8;
  static final int MAX_MESSAGE = 0xffff;

  // ofp_type
  static final int OFPT_FLOW_MOD = 14;
  static final int OFPT_GROUP_MOD = 15;
  static final int OFPT_PACKET_IN = 10;
  static final int OFPT_MULTIPART_REQUEST = 18;
  static final int OFPT_MULTIPART_REPLY = 19;

  // ofp_multipart_type
  static final int OFPMP_FLOW = 1;
  static final int OFPMP_GROUP_DESC = 7;
  static final int OFPMPF_MORE = 1;

  // ofp_instruction_type
  static final int OFPIT_GOTO_TABLE = 1;
  static final int OFPIT_APPLY_ACTIONS = 4;

  // ofp_action_type
  static final int OFPAT_OUTPUT = 0;
  static final int OFPAT_GROUP = 22;
  static final int OFPAT_DEC_NW_TTL = 24;
  static final int OFPAT_SET_FIELD = 25;
  static final int OFPAT_EXPERIMENTER = 0xffff;

  /** Nicira's experimenter id, NX_VENDOR_ID. */
  static final int NX_VENDOR_ID = 0x00002320;

  // Nicira action subtypes (enum ofp_raw_action_type in lib/ofp-actions.c).
  static final int NXAST_REG_MOVE = 6;
  static final int NXAST_REG_LOAD = 7;
  static final int NXAST_RESUBMIT_TABLE = 14;
  static final int NXAST_OUTPUT_REG = 15;
  static final int NXAST_REG_LOAD2 = 33;
  static final int NXAST_CONJUNCTION = 34;
  static final int NXAST_CT = 35;
  static final int NXAST_NAT = 36;

  static final int OFPP_ANY = 0xffffffff;
  static final int OFPG_ANY = 0xffffffff;
  static final int OFP_NO_BUFFER = 0xffffffff;
  static final int OFPTT_ALL = 0xff;

  /** OFPP_IN_PORT in OpenFlow 1.0's 16-bit numbering, as resubmit carries it. */
  static final int OFPP10_IN_PORT = 0xfff8;

  private Wire() {}

  static int pad8(int n) {
    return (n + 7) & ~7;
  }

  static void writeZeros(ByteBuf out, int n) {
    out.writeZero(n);
  }

  static void need(ByteBuf buf, int index, int n, int end, String what) throws CodecException {
    if (n < 0 || index < 0 || index + n > end || index + n > buf.capacity()) {
      throw new CodecException(
          index, what + " (" + n + " bytes, only " + Math.max(0, end - index) + " left)");
    }
  }

  static int u8(ByteBuf b, int i) {
    return b.getUnsignedByte(i);
  }

  static int u16(ByteBuf b, int i) {
    return b.getUnsignedShort(i);
  }

  static long u32(ByteBuf b, int i) {
    return b.getUnsignedInt(i);
  }

  static byte[] bytes(ByteBuf b, int i, int n) {
    byte[] a = new byte[n];
    b.getBytes(i, a);
    return a;
  }

  /** Reads {@code n} (1..8) bytes as an unsigned big-endian number. */
  static long number(ByteBuf b, int i, int n) {
    long v = 0;
    for (int k = 0; k < n; k++) {
      v = v << 8 | b.getUnsignedByte(i + k);
    }
    return v;
  }

  /** Writes the low {@code n} (1..8) bytes of {@code v} big-endian. */
  static void writeNumber(ByteBuf out, long v, int n) {
    for (int k = n - 1; k >= 0; k--) {
      out.writeByte((int) (v >>> (8 * k)));
    }
  }

  static void writeHeader(ByteBuf out, int type, int length, int xid) {
    out.writeByte(OFP_VERSION_13).writeByte(type).writeShort(length).writeInt(xid);
  }

  /** Validates an OpenFlow 1.3 header of the given type and returns the message length. */
  static int checkHeader(ByteBuf msg, int type, String name) throws CodecException {
    int end = msg.writerIndex();
    need(msg, 0, HEADER_LEN, end, "an OpenFlow header");
    if (u8(msg, 0) != OFP_VERSION_13) {
      throw new CodecException(
          0, "OpenFlow version 0x04, not 0x" + Integer.toHexString(u8(msg, 0)));
    }
    if (u8(msg, 1) != type) {
      throw new CodecException(1, name + " (type " + type + "), not type " + u8(msg, 1));
    }
    int len = u16(msg, 2);
    if (len < HEADER_LEN || len > end) {
      throw new CodecException(2, "a message length between 8 and " + end + ", not " + len);
    }
    return len;
  }
}
