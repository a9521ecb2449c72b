package dev.sluice.southbound.wire;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Splits the byte stream into whole OpenFlow messages: the length field at offset 2 (2 bytes)
 * counts the whole message, header included, so this is a length-field decoder with adjustment -4
 * and a natural maximum of 65,535 bytes.
 *
 * <p>Emits each message as a retained {@link ByteBuf} slice starting at its header. A length below
 * the 8-byte header, or above the decoder's limit, is a protocol error that cannot be skipped
 * (there is no way to find the next message), so the decoder emits one {@link MalformedFrame} and
 * discards everything after it; the session handler logs the reason with the switch's name and
 * closes the connection. Nothing is thrown into the pipeline.
 */
public final class OpenFlowFrameDecoder extends ByteToMessageDecoder {
  private enum State {
    READ_FRAME,
    BAD_STREAM
  }

  private final int maxLength;
  private State state = State.READ_FRAME;

  /** A decoder for messages of any length the header can express (65,535 bytes). */
  public OpenFlowFrameDecoder() {
    this(OpenFlowWire.MAX_MESSAGE_LENGTH);
  }

  /**
   * A decoder that treats a message longer than {@code maxLength} bytes as a protocol error.
   *
   * @param maxLength at least the 8-byte header, at most 65,535
   */
  public OpenFlowFrameDecoder(int maxLength) {
    if (maxLength < OpenFlowWire.HEADER_LENGTH || maxLength > OpenFlowWire.MAX_MESSAGE_LENGTH) {
      throw new IllegalArgumentException("maxLength must be in 8..65535: " + maxLength);
    }
    this.maxLength = maxLength;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    switch (state) {
      case READ_FRAME -> readFrames(in, out);
      case BAD_STREAM -> in.skipBytes(in.readableBytes());
    }
  }

  private void readFrames(ByteBuf in, List<Object> out) {
    while (in.readableBytes() >= OpenFlowWire.LENGTH_OFFSET + 2) {
      int start = in.readerIndex();
      int length = in.getUnsignedShort(start + OpenFlowWire.LENGTH_OFFSET);
      String problem =
          length < OpenFlowWire.HEADER_LENGTH
              ? "is shorter than the 8-byte OpenFlow header"
              : length > maxLength ? "exceeds the limit of " + maxLength + " bytes" : null;
      if (problem != null) {
        state = State.BAD_STREAM;
        out.add(
            new MalformedFrame(
                String.format(
                    "message length %d %s (version 0x%02x, type %d)",
                    length, problem, in.getUnsignedByte(start), in.getUnsignedByte(start + 1))));
        in.skipBytes(in.readableBytes());
        return;
      }
      if (in.readableBytes() < length) {
        return;
      }
      out.add(in.readRetainedSlice(length));
    }
  }
}
