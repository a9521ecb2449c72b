package dev.sluice.southbound.channel;

import dev.sluice.southbound.wire.MessageType;
import dev.sluice.southbound.wire.OpenFlowWire;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.IntPredicate;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OpenFlow echo (OpenFlow 1.3.5 §6.3.2, §7.5.2) in both directions, behind Netty's {@link
 * IdleStateHandler}: answers the switch's ECHO_REQUESTs, probes a switch that has sent nothing for
 * the reader-idle time with an ECHO_REQUEST of its own, and drops a dead peer, one that sends
 * nothing (neither the echo reply nor anything else) within {@code echoTimeout} of the probe.
 *
 * <p>Both start after the switch's HELLO: before it no version is agreed, so everything goes on to
 * {@link HandshakeHandler}, which rejects a first message that is not a HELLO. The probe's reply is
 * consumed here; any other ECHO_REPLY (an {@link SwitchSession#echo()}) goes on to the session. A
 * message with a version other than 1.3 goes on too, for the handler after to reject.
 */
final class EchoKeepalive extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(EchoKeepalive.class);
  private static final OFFactory OF13 = OFFactories.getFactory(OFVersion.OF_13);

  private final Duration echoTimeout;
  private final Xids xids;
  private final Supplier<String> name;
  private final IntPredicate awaited = xid -> xid == this.probeXid;
  private boolean helloSeen;
  private int probeXid;
  private @Nullable ScheduledFuture<?> deadPeer;

  /**
   * @param echoTimeout how long after a probe the switch has to send something
   * @param name how logs name the switch
   */
  EchoKeepalive(Duration echoTimeout, Xids xids, Supplier<String> name) {
    this.echoTimeout = echoTimeout;
    this.xids = xids;
    this.name = name;
  }

  /** The reader-idle handler to put before this one: idle after {@code echoInterval}. */
  static IdleStateHandler idleHandler(Duration echoInterval) {
    return new IdleStateHandler(echoInterval.toNanos(), 0, 0, TimeUnit.NANOSECONDS);
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    xids.exclude(awaited);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    xids.include(awaited);
    cancelDeadPeer();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof ByteBuf frame) || frame.readableBytes() < OpenFlowWire.HEADER_LENGTH) {
      ctx.fireChannelRead(msg);
      return;
    }
    Inbound m = Inbound.of(frame);
    if (!helloSeen) {
      helloSeen = m.type() == MessageType.HELLO.code();
      ctx.fireChannelRead(msg);
      return;
    }
    if (m.version() == OpenFlowWire.VERSION_13 && m.type() == MessageType.ECHO_REQUEST.code()) {
      try {
        answer(ctx, frame);
      } finally {
        ReferenceCountUtil.release(msg);
      }
    } else if (m.version() == OpenFlowWire.VERSION_13
        && m.type() == MessageType.ECHO_REPLY.code()
        && probeXid != 0
        && m.xid() == probeXid) {
      probeXid = 0;
      ReferenceCountUtil.release(msg);
    } else {
      ctx.fireChannelRead(msg);
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    // Bytes arrived, whatever they are: the switch is alive.
    cancelDeadPeer();
    ctx.fireChannelReadComplete();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof IdleStateEvent idle) {
      // Only the first event after a read: the idle handler repeats it while the switch is silent.
      if (idle.state() == IdleState.READER_IDLE && idle.isFirst() && helloSeen) {
        probe(ctx);
      }
      return;
    }
    ctx.fireUserEventTriggered(evt);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    cancelDeadPeer();
    ctx.fireChannelInactive();
  }

  private void answer(ChannelHandlerContext ctx, ByteBuf request) {
    // The reply repeats the request's xid and data (§7.5.2); only the type byte changes.
    ByteBuf out = ctx.alloc().buffer(request.readableBytes());
    out.writeBytes(request, request.readerIndex(), request.readableBytes());
    out.setByte(1, MessageType.ECHO_REPLY.code());
    ctx.writeAndFlush(out);
  }

  private void probe(ChannelHandlerContext ctx) {
    if (probeXid == 0) {
      probeXid = xids.next();
      ByteBuf out = ctx.alloc().buffer(OpenFlowWire.HEADER_LENGTH);
      OF13.buildEchoRequest().setXid(probeXid & 0xffffffffL).build().writeTo(out);
      ctx.writeAndFlush(out);
    }
    cancelDeadPeer();
    deadPeer =
        ctx.executor().schedule(() -> dead(ctx), echoTimeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  private void dead(ChannelHandlerContext ctx) {
    deadPeer = null;
    String reason =
        String.format("no echo reply within %d ms (nor any other message)", echoTimeout.toMillis());
    log.debug("{}: {}", name.get(), reason);
    ctx.fireUserEventTriggered(new SessionEvent.Disconnect(reason));
    ctx.close();
  }

  private void cancelDeadPeer() {
    if (deadPeer != null) {
      deadPeer.cancel(false);
      deadPeer = null;
    }
  }
}
