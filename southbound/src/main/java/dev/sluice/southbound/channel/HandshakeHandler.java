package dev.sluice.southbound.channel;

import dev.sluice.southbound.wire.MessageType;
import dev.sluice.southbound.wire.Multipart;
import dev.sluice.southbound.wire.OpenFlowWire;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.IntPredicate;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFFeaturesReply;
import org.projectfloodlight.openflow.protocol.OFHello;
import org.projectfloodlight.openflow.protocol.OFHelloElem;
import org.projectfloodlight.openflow.protocol.OFHelloElemVersionbitmap;
import org.projectfloodlight.openflow.protocol.OFHelloFailedCode;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFPortDescStatsReply;
import org.projectfloodlight.openflow.protocol.OFPortStatus;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.types.OFErrorCauseData;
import org.projectfloodlight.openflow.types.U32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OpenFlow 1.3 handshake of one connection, as one enum of states ({@link State}); each state
 * handles only the reply it awaits: HELLO (version negotiation, 1.3 only) → FEATURES_REPLY
 * (datapath id) → PORT_DESC multipart (port names and numbers) → SET_CONFIG + BARRIER. On the
 * barrier reply the handler removes itself from the pipeline and fires {@link
 * SessionEvent.Established} to the session, like Netty's {@code HAProxyMessageDecoder} once its
 * header is decoded.
 *
 * <p>A switch without 1.3 gets an {@code OFPT_ERROR} HELLO_FAILED/INCOMPATIBLE with a readable
 * text, in its own version; an error reply, a message before HELLO, a version other than 1.3 after
 * it, or no barrier reply within {@link SessionConfig#handshakeTimeout()} closes the connection
 * (after a {@link SessionEvent.Disconnect} naming the state it was stuck in). Echo is answered by
 * {@link EchoKeepalive} before this handler; a message it could not decode goes on to the session
 * as an {@link UnknownMessage}; PORT_STATUS updates the ports it will hand over.
 */
final class HandshakeHandler extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(HandshakeHandler.class);
  private static final OFFactory OF13 = OFFactories.getFactory(OFVersion.OF_13);

  /** Where the handshake is; each state handles only what it expects. */
  enum State {
    /** Our HELLO is sent; waiting for the switch's. */
    HELLO_WAIT {
      @Override
      void handle(HandshakeHandler h, ChannelHandlerContext ctx, Inbound m) {
        if (m.type() == MessageType.HELLO.code()) {
          h.negotiate(ctx, m);
        } else {
          h.fail(ctx, "expected HELLO first, got " + MessageType.nameOf(m.type()));
        }
      }
    },
    /** FEATURES_REQUEST sent; waiting for the datapath id. */
    FEATURES_WAIT {
      @Override
      void handle(HandshakeHandler h, ChannelHandlerContext ctx, Inbound m) {
        if (m.type() == MessageType.FEATURES_REPLY.code() && m.xid() == h.awaitedXid) {
          h.onFeaturesReply(ctx, m);
        } else {
          h.other(ctx, m);
        }
      }
    },
    /** PORT_DESC multipart request sent; collecting its replies. */
    PORT_DESC_WAIT {
      @Override
      void handle(HandshakeHandler h, ChannelHandlerContext ctx, Inbound m) {
        if (m.type() == MessageType.MULTIPART_REPLY.code()
            && m.xid() == h.awaitedXid
            && m.multipartType() == Multipart.PORT_DESC) {
          h.onPortDescReply(ctx, m);
        } else {
          h.other(ctx, m);
        }
      }
    },
    /** SET_CONFIG and a BARRIER sent; the barrier reply completes the handshake. */
    CONFIG_WAIT {
      @Override
      void handle(HandshakeHandler h, ChannelHandlerContext ctx, Inbound m) {
        if (m.type() == MessageType.BARRIER_REPLY.code() && m.xid() == h.awaitedXid) {
          h.established(ctx);
        } else {
          h.other(ctx, m);
        }
      }
    },
    /** Established (and removed) or failed: nothing more to do. */
    DONE {
      @Override
      void handle(HandshakeHandler h, ChannelHandlerContext ctx, Inbound m) {}
    };

    abstract void handle(HandshakeHandler h, ChannelHandlerContext ctx, Inbound m);
  }

  private final SessionConfig config;
  private final Xids xids;
  private final Supplier<String> name;
  private final IntPredicate awaited = xid -> xid == this.awaitedXid;
  private State state = State.HELLO_WAIT;
  private boolean started;
  private int awaitedXid;
  private @Nullable ScheduledFuture<?> timeout;
  private SessionEvent.@Nullable Features features;
  private final List<PortDescription> portDesc = new ArrayList<>();
  private SwitchPorts ports = SwitchPorts.EMPTY;

  /**
   * @param config {@code missSendLen} for SET_CONFIG and the handshake timeout (zero: none)
   * @param name how logs name the switch
   */
  HandshakeHandler(SessionConfig config, Xids xids, Supplier<String> name) {
    this.config = config;
    this.xids = xids;
    this.name = name;
  }

  State state() {
    return state;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    xids.exclude(awaited);
    if (ctx.channel().isActive()) {
      start(ctx);
    }
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    xids.include(awaited);
    cancelTimeout();
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    start(ctx);
    ctx.fireChannelActive();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    cancelTimeout();
    ctx.fireChannelInactive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof ByteBuf frame)) {
      ctx.fireChannelRead(msg); // MalformedFrame: the session reports and closes
      return;
    }
    try {
      Inbound m = Inbound.of(frame);
      if (state != State.HELLO_WAIT
          && state != State.DONE
          && m.version() != OpenFlowWire.VERSION_13) {
        fail(
            ctx,
            String.format(
                "message %s with version 0x%02x after negotiating OpenFlow 1.3",
                MessageType.nameOf(m.type()), m.version()));
        return;
      }
      state.handle(this, ctx, m);
    } catch (RuntimeException e) {
      // A bug here must not kill the event loop or other switches.
      log.error("{}: failure in handshake state {}; closing", name.get(), state, e);
      fail(ctx, "internal error: " + e);
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  private void start(ChannelHandlerContext ctx) {
    if (started) {
      return;
    }
    started = true;
    if (!config.handshakeTimeout().isZero()) {
      timeout =
          ctx.executor()
              .schedule(
                  () ->
                      fail(
                          ctx,
                          String.format(
                              "handshake not finished within %d ms (stuck in %s)",
                              config.handshakeTimeout().toMillis(), state)),
                  config.handshakeTimeout().toNanos(),
                  TimeUnit.NANOSECONDS);
    }
    write(ctx, hello(xids.next()));
  }

  /** Our HELLO: a version bitmap element offering exactly OpenFlow 1.3 (bit 4). */
  static OFHello hello(int xid) {
    return OF13.buildHello()
        .setXid(xid & 0xffffffffL)
        .setElements(
            List.of(
                OF13.buildHelloElemVersionbitmap()
                    .setBitmaps(List.of(U32.of(1L << OpenFlowWire.VERSION_13)))
                    .build()))
        .build();
  }

  private void negotiate(ChannelHandlerContext ctx, Inbound m) {
    Optional<String> mismatch = mismatch(m);
    if (mismatch.isPresent()) {
      ByteBuf out = ctx.alloc().buffer();
      writeHelloFailed(out, m.version(), m.xid(), mismatch.get());
      ctx.writeAndFlush(out);
      fail(ctx, "version negotiation failed: " + mismatch.get());
      return;
    }
    awaitedXid = xids.next();
    write(ctx, OF13.buildFeaturesRequest().setXid(awaitedXid & 0xffffffffL).build());
    state = State.FEATURES_WAIT;
  }

  /**
   * Why the switch's HELLO does not let us speak 1.3, or empty if it does. With a version bitmap
   * (OpenFlow 1.3.5 §7.5.1) 1.3 must be in it; without one the negotiated version is the lower of
   * the two header versions, so the switch's must be at least 1.3.
   */
  static Optional<String> mismatch(Inbound hello) {
    Optional<Boolean> bitmapOffers13 = bitmapOffers13(hello);
    boolean ok = bitmapOffers13.orElse(hello.version() >= OpenFlowWire.VERSION_13);
    if (ok) {
      return Optional.empty();
    }
    return Optional.of(
        String.format(
            "Sluice speaks only OpenFlow 1.3 (0x04); switch offered version 0x%02x%s",
            hello.version(), bitmapOffers13.isPresent() ? " with a bitmap lacking 1.3" : ""));
  }

  /** Whether the HELLO's version bitmap has bit 4, or empty without a bitmap. */
  private static Optional<Boolean> bitmapOffers13(Inbound hello) {
    if (hello.version() < OpenFlowWire.VERSION_13) {
      return Optional.empty(); // OpenFlow 1.0-1.2 hellos carry no elements
    }
    List<OFHelloElem> elements;
    try {
      OFMessage msg = OFFactories.getGenericReader().readFrom(hello.frame().duplicate());
      elements = msg instanceof OFHello h ? h.getElements() : null;
    } catch (Exception e) {
      elements = null;
    }
    if (elements == null) {
      // Loxi throws on element types and versions it does not know, which a receiver must
      // ignore and accept; walk the elements by their own lengths instead.
      return walkBitmap(hello.frame());
    }
    Optional<Boolean> offers = Optional.empty();
    for (OFHelloElem e : elements) {
      if (e instanceof OFHelloElemVersionbitmap b && !b.getBitmaps().isEmpty()) {
        // Word 0 holds versions 0-31: bit n is wire version n.
        offers =
            Optional.of((b.getBitmaps().get(0).getRaw() & (1L << OpenFlowWire.VERSION_13)) != 0);
      }
    }
    return offers;
  }

  /** {@code ofp_hello_elem_header}: type u16, length u16 (without padding); bodies 8-aligned. */
  private static Optional<Boolean> walkBitmap(ByteBuf f) {
    Optional<Boolean> offers = Optional.empty();
    int i = f.readerIndex() + OpenFlowWire.HEADER_LENGTH;
    int end = f.readerIndex() + f.readableBytes();
    while (i + 4 <= end) {
      int type = f.getUnsignedShort(i);
      int length = f.getUnsignedShort(i + 2);
      if (length < 4 || i + length > end) {
        break;
      }
      if (type == 1 && length >= 8) { // OFPHET_VERSIONBITMAP
        offers = Optional.of((f.getInt(i + 4) & (1 << OpenFlowWire.VERSION_13)) != 0);
      }
      i += (length + 7) / 8 * 8;
    }
    return offers;
  }

  /**
   * HELLO_FAILED/INCOMPATIBLE with {@code text} as its data (OpenFlow 1.3.5 §7.5.4.1: an ASCII
   * text), built by Loxi in the switch's version so that it can read it; for a version Loxi does
   * not know, the 1.3 encoding with the switch's version byte (the error layout is the same in
   * every version).
   */
  static void writeHelloFailed(ByteBuf out, int version, int xid, String text) {
    Optional<OFVersion> known =
        Arrays.stream(OFVersion.values()).filter(v -> v.wireVersion == version).findFirst();
    OFFactory f = OFFactories.getFactory(known.orElse(OFVersion.OF_13));
    int start = out.writerIndex();
    f.errorMsgs()
        .buildHelloFailedErrorMsg()
        .setXid(xid & 0xffffffffL)
        .setCode(OFHelloFailedCode.INCOMPATIBLE)
        .setData(OFErrorCauseData.of(text.getBytes(StandardCharsets.US_ASCII), f.getVersion()))
        .build()
        .writeTo(out);
    if (known.isEmpty()) {
      out.setByte(start, version);
    }
  }

  private void onFeaturesReply(ChannelHandlerContext ctx, Inbound m) {
    Optional<OFMessage> decoded = m.decode(ctx::fireChannelRead);
    if (decoded.isEmpty()) {
      return; // reported by the session; the handshake timeout closes the connection
    }
    OFFeaturesReply reply = (OFFeaturesReply) decoded.get();
    SessionEvent.Features f =
        new SessionEvent.Features(reply.getDatapathId().getLong(), reply.getNTables());
    features = f;
    ctx.fireUserEventTriggered(f);
    log.info(
        "{}: features: {} tables, {} buffers", name.get(), f.tableCount(), reply.getNBuffers());
    awaitedXid = xids.next();
    write(ctx, OF13.buildPortDescStatsRequest().setXid(awaitedXid & 0xffffffffL).build());
    state = State.PORT_DESC_WAIT;
  }

  private void onPortDescReply(ChannelHandlerContext ctx, Inbound m) {
    Optional<OFMessage> decoded = m.decode(ctx::fireChannelRead);
    if (decoded.isEmpty()) {
      return;
    }
    ((OFPortDescStatsReply) decoded.get())
        .getEntries()
        .forEach(p -> portDesc.add(LoxiPorts.description(p)));
    if ((m.multipartFlags() & Multipart.FLAG_MORE) != 0) {
      return;
    }
    ports = SwitchPorts.of(portDesc);
    portDesc.clear();
    ByteBuf out = ctx.alloc().buffer();
    OF13.buildSetConfig()
        .setXid(xids.next() & 0xffffffffL)
        .setFlags(Set.of())
        .setMissSendLen(config.missSendLen())
        .build()
        .writeTo(out);
    ctx.write(out);
    awaitedXid = xids.next();
    write(ctx, OF13.buildBarrierRequest().setXid(awaitedXid & 0xffffffffL).build());
    state = State.CONFIG_WAIT;
  }

  private void established(ChannelHandlerContext ctx) {
    state = State.DONE;
    awaitedXid = 0;
    cancelTimeout();
    SessionEvent.Features f = features;
    // Removed first, so the messages after the barrier reply (and the listener, which may send
    // at once) see the pipeline as it stays; the context still passes the event on.
    ctx.pipeline().remove(this);
    ctx.fireUserEventTriggered(new SessionEvent.Established(f, ports));
  }

  /** A message that is not the awaited reply. */
  private void other(ChannelHandlerContext ctx, Inbound m) {
    if (m.type() == MessageType.ERROR.code()) {
      OpenFlowError e = OpenFlowError.parse(m.frame());
      fail(ctx, "switch rejected the handshake in state " + state + " with " + e);
    } else if (m.type() == MessageType.PORT_STATUS.code()) {
      m.decode(ctx::fireChannelRead)
          .ifPresent(
              loxi -> {
                PortStatus status = LoxiPorts.status((OFPortStatus) loxi);
                ports = ports.with(status);
                log.info(
                    "{}: port {} {} ({}) during the handshake",
                    name.get(),
                    status.reason(),
                    status.port().name(),
                    status.port().number());
              });
    } else {
      log.debug(
          "{}: ignoring {} (xid 0x{}) during handshake state {}",
          name.get(),
          MessageType.nameOf(m.type()),
          Integer.toHexString(m.xid()),
          state);
    }
  }

  private void fail(ChannelHandlerContext ctx, String reason) {
    if (state == State.DONE) {
      return;
    }
    State was = state;
    state = State.DONE;
    cancelTimeout();
    log.debug("{}: handshake failed in state {}: {}", name.get(), was, reason);
    ctx.fireUserEventTriggered(new SessionEvent.Disconnect(reason));
    ctx.close();
  }

  private static void write(ChannelHandlerContext ctx, OFMessage m) {
    ByteBuf out = ctx.alloc().buffer();
    m.writeTo(out);
    ctx.writeAndFlush(out);
  }

  private void cancelTimeout() {
    if (timeout != null) {
      timeout.cancel(false);
      timeout = null;
    }
  }
}
