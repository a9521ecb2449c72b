package dev.sluice.southbound.wire;

import io.netty.buffer.ByteBuf;

/**
 * OpenFlow 1.4 bundles carried in OpenFlow 1.3 as ONF experimenter messages, as OVS implements them
 * (OVS {@code include/openflow/openflow-1.4.h} {@code struct ofp14_bundle_ctrl_msg}, {@code
 * lib/ofp-msgs.h} {@code ONFT 1.3 (2300)} / {@code (2301)}).
 *
 * <pre>
 *   bundle control (exp_type 2300), 24 bytes without properties:
 *     header(8) | experimenter u32 = 0x4F4E4600 | exp_type u32 = 2300
 *     | bundle_id u32 | type u16 (OPEN_REQUEST 0 .. DISCARD_REPLY 7) | flags u16 (ATOMIC 1, ORDERED 2)
 *
 *   bundle add (exp_type 2301):
 *     header(8) | experimenter u32 | exp_type u32 = 2301
 *     | bundle_id u32 | pad u16 | flags u16 | inner OpenFlow message (its xid = the outer xid)
 * </pre>
 */
public final class BundleWire {
  public static final int EXP_TYPE_CONTROL = 2300;
  public static final int EXP_TYPE_ADD = 2301;

  public static final int FLAG_ATOMIC = 1;
  public static final int FLAG_ORDERED = 2;

  /** Bytes before the inner message of a bundle add. */
  public static final int ADD_HEADER_LENGTH = 24;

  /** The largest inner message a bundle add can carry. */
  public static final int MAX_INNER_LENGTH = OpenFlowWire.MAX_MESSAGE_LENGTH - ADD_HEADER_LENGTH;

  /** {@code enum ofp14_bundle_ctrl_type}. */
  public enum ControlType {
    OPEN_REQUEST,
    OPEN_REPLY,
    CLOSE_REQUEST,
    CLOSE_REPLY,
    COMMIT_REQUEST,
    COMMIT_REPLY,
    DISCARD_REQUEST,
    DISCARD_REPLY;

    private static final ControlType[] BY_CODE = values();

    public int code() {
      return ordinal();
    }

    /** The control type for a wire code, or {@code null}. */
    public static ControlType fromCode(int code) {
      return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
  }

  /** A decoded bundle control message (reply or request). */
  public record Control(int bundleId, ControlType type, int flags) {}

  private BundleWire() {}

  /** Writes a complete bundle control message without properties. */
  public static void writeControl(ByteBuf out, int xid, int bundleId, ControlType type, int flags) {
    int start = OpenFlowWire.writeHeader(out, MessageType.EXPERIMENTER.code(), xid);
    out.writeInt(OpenFlowWire.ONF_EXPERIMENTER);
    out.writeInt(EXP_TYPE_CONTROL);
    out.writeInt(bundleId);
    out.writeShort(type.code());
    out.writeShort(flags);
    OpenFlowWire.finishLength(out, start);
  }

  /**
   * Writes the bundle-add header; the caller then writes the inner message (with the same xid) and
   * calls {@link OpenFlowWire#finishLength(ByteBuf, int)} with the returned start index.
   */
  public static int writeAddHeader(ByteBuf out, int xid, int bundleId, int flags) {
    int start = OpenFlowWire.writeHeader(out, MessageType.EXPERIMENTER.code(), xid);
    out.writeInt(OpenFlowWire.ONF_EXPERIMENTER);
    out.writeInt(EXP_TYPE_ADD);
    out.writeInt(bundleId);
    out.writeShort(0);
    out.writeShort(flags);
    return start;
  }

  /** Whether an experimenter message is an ONF bundle control message. */
  public static boolean isControl(ByteBuf frame) {
    int i = frame.readerIndex();
    return frame.readableBytes() >= 24
        && frame.getUnsignedByte(i + 1) == MessageType.EXPERIMENTER.code()
        && frame.getInt(i + 8) == OpenFlowWire.ONF_EXPERIMENTER
        && frame.getInt(i + 12) == EXP_TYPE_CONTROL;
  }

  /** Decodes a message for which {@link #isControl(ByteBuf)} is true. */
  public static Control readControl(ByteBuf frame) {
    int i = frame.readerIndex();
    return new Control(
        frame.getInt(i + 16),
        ControlType.fromCode(frame.getUnsignedShort(i + 20)),
        frame.getUnsignedShort(i + 22));
  }
}
