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
 * the 8-byte header cannot be skipped (there is no way to find the next message), so the decoder
 * emits one {@link MalformedFrame} and discards everything after it; the session handler logs the
 * reason with the switch's name and closes the connection. Nothing is thrown into the pipeline.
 */
public final class OpenFlowFrameDecoder extends ByteToMessageDecoder {
  private enum State {
    READ_FRAME,
    BAD_STREAM
  }

  private State state = State.READ_FRAME;

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
      if (length < OpenFlowWire.HEADER_LENGTH) {
        state = State.BAD_STREAM;
        in.skipBytes(in.readableBytes());
        out.add(
            new MalformedFrame(
                String.format(
                    "message length %d is shorter than the 8-byte OpenFlow header"
                        + " (version 0x%02x, type %d)",
                    length, in.getUnsignedByte(start), in.getUnsignedByte(start + 1))));
        return;
      }
      if (in.readableBytes() < length) {
        return;
      }
      out.add(in.readRetainedSlice(length));
    }
  }
}
