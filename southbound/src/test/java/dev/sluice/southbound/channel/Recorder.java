package dev.sluice.southbound.channel;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;

/**
 * The last handler of a pipeline under test: records what reaches it, frames as bytes (released),
 * other messages and user events as they are.
 */
final class Recorder extends ChannelInboundHandlerAdapter {
  final List<byte[]> frames = new ArrayList<>();
  final List<Object> messages = new ArrayList<>();
  final List<Object> events = new ArrayList<>();

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      if (msg instanceof ByteBuf b) {
        frames.add(ByteBufUtil.getBytes(b));
      } else {
        messages.add(msg);
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    events.add(evt);
  }

  /** The events of {@code type}, in order. */
  <T> List<T> events(Class<T> type) {
    return events.stream().filter(type::isInstance).map(type::cast).toList();
  }
}
