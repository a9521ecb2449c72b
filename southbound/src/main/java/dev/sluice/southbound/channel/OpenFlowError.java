package dev.sluice.southbound.channel;

import dev.sluice.southbound.wire.ErrorCodes;
import dev.sluice.southbound.wire.OpenFlowWire;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

/**
 * An {@code OFPT_ERROR} message as received (OpenFlow 1.3.5 §7.4.4).
 *
 * <pre>
 *   standard:      header(8) | type u16 | code u16 | data (at least 64 bytes of the failed request)
 *   experimenter:  header(8) | 0xffff   | exp_code u16 | experimenter u32 | data
 * </pre>
 *
 * @param xid the xid of the request that failed (0 for errors not caused by a request)
 * @param type error type, {@link ErrorCodes#EXPERIMENTER} for experimenter errors
 * @param code error code (the experimenter code for experimenter errors)
 * @param experimenter experimenter id, or -1 for standard errors
 * @param data the data field, normally the start of the request that failed
 */
public record OpenFlowError(int xid, int type, int code, long experimenter, byte[] data) {
  public OpenFlowError {
    data = data.clone();
  }

  /** Decodes an error message; never throws on short messages (missing fields read as 0). */
  static OpenFlowError parse(ByteBuf frame) {
    int i = frame.readerIndex();
    int end = i + frame.readableBytes();
    int xid = OpenFlowWire.xid(frame);
    int type = end >= i + 10 ? frame.getUnsignedShort(i + 8) : 0;
    int code = end >= i + 12 ? frame.getUnsignedShort(i + 10) : 0;
    long experimenter = -1;
    int dataStart = Math.min(i + 12, end);
    if (type == ErrorCodes.EXPERIMENTER && end >= i + 16) {
      experimenter = frame.getUnsignedInt(i + 12);
      dataStart = i + 16;
    }
    return new OpenFlowError(
        xid, type, code, experimenter, ByteBufUtil.getBytes(frame, dataStart, end - dataStart));
  }

  @Override
  public byte[] data() {
    return data.clone();
  }

  public String typeName() {
    return ErrorCodes.typeName(type);
  }

  public String codeName() {
    return ErrorCodes.codeName(type, code, experimenter);
  }

  /** Whether this is the ONF "one message in the bundle failed" error a failed commit ends with. */
  public boolean isBundleMessageFailed() {
    return type == ErrorCodes.EXPERIMENTER
        && experimenter == OpenFlowWire.ONF_EXPERIMENTER
        && code == ErrorCodes.ONF_BUNDLE_MSG_FAILED;
  }

  /** The message type byte of the failed request echoed in {@link #data()}, or -1. */
  public int failedMessageType() {
    return data.length >= 2 ? data[1] & 0xff : -1;
  }

  @Override
  public String toString() {
    return typeName() + "/" + codeName() + " (type " + type + ", code " + code + ")";
  }
}
