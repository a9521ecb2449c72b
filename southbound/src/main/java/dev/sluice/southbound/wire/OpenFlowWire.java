package dev.sluice.southbound.wire;

import io.netty.buffer.ByteBuf;

/**
 * The OpenFlow header, as every message starts with it (OpenFlow 1.3.5 §7.1.1).
 *
 * <pre>
 *   0        1        2                 4                                 8
 *   +--------+--------+--------+--------+--------+--------+--------+--------+
 *   |version |  type  |     length      |               xid                 |
 *   +--------+--------+--------+--------+--------+--------+--------+--------+
 * </pre>
 *
 * {@code length} counts the whole message, header included, so a message is at most 65,535 bytes.
 */
public final class OpenFlowWire {
  /** {@code OFP13_VERSION}: the only version Sluice speaks. */
  public static final int VERSION_13 = 0x04;

  public static final int HEADER_LENGTH = 8;
  public static final int MAX_MESSAGE_LENGTH = 0xffff;
  public static final int LENGTH_OFFSET = 2;
  public static final int XID_OFFSET = 4;

  /** ONF's experimenter id, used by the OpenFlow 1.4 features back-ported to 1.3 (bundles). */
  public static final int ONF_EXPERIMENTER = 0x4F4E4600;

  /** Nicira's experimenter id (NXM fields, NX actions, NX error codes). */
  public static final int NICIRA_EXPERIMENTER = 0x00002320;

  private OpenFlowWire() {}

  /**
   * Writes a header with a zero length and returns the index where the message starts; finish it
   * with {@link #finishLength(ByteBuf, int)} once the body is written.
   */
  public static int writeHeader(ByteBuf out, int type, int xid) {
    int start = out.writerIndex();
    out.writeByte(VERSION_13);
    out.writeByte(type);
    out.writeShort(0);
    out.writeInt(xid);
    return start;
  }

  /**
   * Patches the length field of the message that starts at {@code start}.
   *
   * @throws IllegalArgumentException if the message is longer than 65,535 bytes
   */
  public static void finishLength(ByteBuf out, int start) {
    int length = out.writerIndex() - start;
    if (length > MAX_MESSAGE_LENGTH) {
      throw new IllegalArgumentException(
          "OpenFlow message of " + length + " bytes exceeds the 65535-byte limit");
    }
    out.setShort(start + LENGTH_OFFSET, length);
  }

  public static int version(ByteBuf frame) {
    return frame.getUnsignedByte(frame.readerIndex());
  }

  public static int type(ByteBuf frame) {
    return frame.getUnsignedByte(frame.readerIndex() + 1);
  }

  public static int length(ByteBuf frame) {
    return frame.getUnsignedShort(frame.readerIndex() + LENGTH_OFFSET);
  }

  public static int xid(ByteBuf frame) {
    return frame.getInt(frame.readerIndex() + XID_OFFSET);
  }

  /** Pads {@code out} with zeros so that the message starting at {@code start} is 8-aligned. */
  public static void padTo8(ByteBuf out, int start) {
    int pad = (8 - (out.writerIndex() - start) % 8) % 8;
    out.writeZero(pad);
  }
}
