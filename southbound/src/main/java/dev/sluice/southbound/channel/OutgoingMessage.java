package dev.sluice.southbound.channel;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Arrays;
import java.util.Objects;
import org.projectfloodlight.openflow.protocol.OFMessage;

/**
 * One OpenFlow message to send, encoded lazily (when the channel is ready to take it) with the xid
 * the session allocates.
 *
 * <p>{@link #encode(ByteBuf, int)} writes the whole message, header included, with version 0x04,
 * {@link #type()} as the type byte, the correct total length and the given xid; the session checks
 * these and fails the request if they are wrong. {@link #context()} is what an error report shows
 * for this message (for a flow, typically its {@code ovs-ofctl} text).
 */
public interface OutgoingMessage {
  /** The OpenFlow message type byte ({@link dev.sluice.southbound.wire.MessageType#code()}). */
  int type();

  /** Writes the complete message with header xid {@code xid}. */
  void encode(ByteBuf out, int xid);

  /** What to report when the switch rejects this message. */
  Object context();

  /**
   * A message given as complete bytes (any xid): the session writes them with its own xid patched
   * in.
   */
  static OutgoingMessage ofBytes(byte[] message, Object context) {
    Objects.requireNonNull(context, "context");
    if (message.length < 8) {
      throw new IllegalArgumentException("an OpenFlow message has at least 8 bytes");
    }
    byte[] copy = Arrays.copyOf(message, message.length);
    int type = copy[1] & 0xff;
    return new OutgoingMessage() {
      @Override
      public int type() {
        return type;
      }

      @Override
      public void encode(ByteBuf out, int xid) {
        int start = out.writerIndex();
        out.writeBytes(copy);
        out.setInt(start + 4, xid);
      }

      @Override
      public Object context() {
        return context;
      }

      @Override
      public String toString() {
        return String.valueOf(context);
      }
    };
  }

  /** A standard message built with Loxi; its own xid is replaced by the session's. */
  static OutgoingMessage ofLoxi(OFMessage message, Object context) {
    Objects.requireNonNull(context, "context");
    // Loxi's OFType is shared by all versions; take the type byte from the encoding instead.
    ByteBuf probe = Unpooled.buffer();
    int type;
    try {
      message.writeTo(probe);
      type = probe.getUnsignedByte(1);
    } finally {
      probe.release();
    }
    return new OutgoingMessage() {
      @Override
      public int type() {
        return type;
      }

      @Override
      public void encode(ByteBuf out, int xid) {
        message.createBuilder().setXid(xid & 0xffffffffL).build().writeTo(out);
      }

      @Override
      public Object context() {
        return context;
      }

      @Override
      public String toString() {
        return String.valueOf(context);
      }
    };
  }

  /** A standard message built with Loxi, reported as itself on error. */
  static OutgoingMessage ofLoxi(OFMessage message) {
    return ofLoxi(message, message.getType().name());
  }
}
