package dev.sluice.southbound.channel;

import dev.sluice.southbound.wire.OpenFlowWire;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.util.Optional;
import java.util.function.Consumer;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFMessage;

/**
 * One received OpenFlow message as the handlers after the frame decoder see it: the header fields
 * and the frame. {@code frame} is only valid while the message is being handled (the pipeline
 * releases it afterwards), so anything kept is copied ({@link #bytes()}).
 */
record Inbound(int version, int type, int xid, ByteBuf frame) {
  static Inbound of(ByteBuf frame) {
    return new Inbound(
        OpenFlowWire.version(frame), OpenFlowWire.type(frame), OpenFlowWire.xid(frame), frame);
  }

  byte[] bytes() {
    return ByteBufUtil.getBytes(frame);
  }

  /** The message, reported as not handled for {@code reason}. */
  UnknownMessage unknown(String reason) {
    return new UnknownMessage(version, type, xid, bytes(), reason);
  }

  /**
   * Decodes the message with Loxi; one Loxi cannot decode (OVS sends Nicira content Loxi throws on)
   * goes to {@code unhandled} as an {@link UnknownMessage} instead.
   */
  Optional<OFMessage> decode(Consumer<UnknownMessage> unhandled) {
    try {
      OFMessage msg = OFFactories.getGenericReader().readFrom(frame.duplicate());
      if (msg == null) {
        unhandled.accept(unknown("Loxi could not decode it (incomplete)"));
        return Optional.empty();
      }
      return Optional.of(msg);
    } catch (Exception | LinkageError e) {
      // OFParseError and the runtime exceptions Loxi throws on OVS-specific content.
      unhandled.accept(unknown("Loxi could not decode it: " + e));
      return Optional.empty();
    }
  }

  /** The multipart type of an {@code OFPT_MULTIPART_REPLY}, or -1 if it is too short. */
  int multipartType() {
    return frame.readableBytes() >= 10 ? frame.getUnsignedShort(frame.readerIndex() + 8) : -1;
  }

  /** The multipart flags of an {@code OFPT_MULTIPART_REPLY} (0 if it is too short). */
  int multipartFlags() {
    return frame.readableBytes() >= 12 ? frame.getUnsignedShort(frame.readerIndex() + 10) : 0;
  }
}
