package dev.sluice.southbound.channel;

import dev.sluice.southbound.wire.ErrorCodes;
import dev.sluice.southbound.wire.MalformedFrame;
import dev.sluice.southbound.wire.MessageType;
import dev.sluice.southbound.wire.Multipart;
import dev.sluice.southbound.wire.OpenFlowFrameDecoder;
import dev.sluice.southbound.wire.OpenFlowWire;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.netty.util.concurrent.Ticker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFFeaturesReply;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFPortConfig;
import org.projectfloodlight.openflow.protocol.OFPortDesc;
import org.projectfloodlight.openflow.protocol.OFPortDescStatsReply;
import org.projectfloodlight.openflow.protocol.OFPortState;
import org.projectfloodlight.openflow.protocol.OFPortStatus;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.ver13.OFPortConfigSerializerVer13;
import org.projectfloodlight.openflow.protocol.ver13.OFPortStateSerializerVer13;
import org.projectfloodlight.openflow.types.U32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One OpenFlow 1.3 connection to a switch.
 *
 * <p>The handshake is one enum of states ({@link State}); each state handles only the messages it
 * expects: HELLO (version negotiation, 1.3 only) → FEATURES_REPLY (datapath id) → PORT_DESC
 * multipart (port names and numbers) → SET_CONFIG + BARRIER → READY. Echo requests are answered in
 * every state; an idle switch is probed with echo requests and dropped when it does not answer.
 *
 * <p>Requests get an xid (never 0, skipping xids still in flight) and a {@link CompletableFuture}.
 * Every {@code OFPT_ERROR} is correlated by xid to the request that caused it and fails that future
 * with an {@link OpenFlowErrorException}; errors that answer nothing go to {@link
 * SwitchListener#asyncError}. Bundles ({@link #bundle(List)}) follow OVN's ofctrl: one ordered,
 * atomic bundle per update followed by a barrier.
 *
 * <p>All mutable state is confined to the channel's event loop. Public methods may be called from
 * any thread; listener callbacks run on the event loop. Time is the event loop's own {@link Ticker}
 * ({@code channel.eventLoop().ticker()}), so a test on an {@code EmbeddedChannel} moves it with
 * {@code advanceTimeBy} and fires the timer check with {@code runScheduledPendingTasks()}; the
 * check runs on the event loop every {@link SessionConfig#tickInterval()}, and {@link #tick()} runs
 * it at once.
 */
public final class SwitchSession {
  private static final Logger log = LoggerFactory.getLogger(SwitchSession.class);
  private static final OFFactory OF13 = OFFactories.getFactory(OFVersion.OF_13);

  /** The handshake and life of a connection; each state handles only what it expects. */
  enum State {
    /** Our HELLO is sent; waiting for the switch's. */
    HELLO_WAIT {
      @Override
      void handle(SwitchSession s, Inbound m) {
        if (m.type == MessageType.HELLO.code()) {
          s.negotiate(m);
        } else {
          s.close("expected HELLO first, got " + MessageType.nameOf(m.type));
        }
      }
    },
    /** FEATURES_REQUEST sent; waiting for the datapath id. */
    FEATURES_WAIT {
      @Override
      void handle(SwitchSession s, Inbound m) {
        if (m.type == MessageType.FEATURES_REPLY.code() && m.xid == s.handshakeXid) {
          s.onFeaturesReply(m);
        } else {
          s.handshakeMessage(m);
        }
      }
    },
    /** PORT_DESC multipart request sent; collecting its replies. */
    PORT_DESC_WAIT {
      @Override
      void handle(SwitchSession s, Inbound m) {
        if (m.type == MessageType.MULTIPART_REPLY.code() && m.xid == s.handshakeXid) {
          s.onPortDescReply(m);
        } else {
          s.handshakeMessage(m);
        }
      }
    },
    /** SET_CONFIG and a BARRIER sent; the barrier reply completes the handshake. */
    CONFIG_WAIT {
      @Override
      void handle(SwitchSession s, Inbound m) {
        if (m.type == MessageType.BARRIER_REPLY.code() && m.xid == s.handshakeXid) {
          s.becomeReady();
        } else {
          s.handshakeMessage(m);
        }
      }
    },
    /** Handshake done: replies are correlated to requests, async messages go to the listener. */
    READY {
      @Override
      void handle(SwitchSession s, Inbound m) {
        s.readyMessage(m);
      }
    },
    /** Closed or closing: everything is dropped. */
    CLOSED {
      @Override
      void handle(SwitchSession s, Inbound m) {}
    };

    abstract void handle(SwitchSession s, Inbound m);
  }

  /** One received message; {@code frame} is only valid during dispatch. */
  record Inbound(int version, int type, int xid, ByteBuf frame) {
    byte[] bytes() {
      return ByteBufUtil.getBytes(frame);
    }
  }

  private final Channel channel;
  private final SessionConfig config;
  private final SwitchListener listener;
  private final Ticker ticker;
  private final String remoteAddress;
  private final long connectedAtNanos;

  // --- event-loop confined ---
  private State state = State.HELLO_WAIT;
  private boolean started;
  private int handshakeXid;
  private final List<PortDescription> handshakePorts = new ArrayList<>();
  private int lastXid;
  private long sendSequence;
  private final Map<Integer, Pending> pending = new HashMap<>();
  private final ArrayDeque<Pending> awaitingBarrier = new ArrayDeque<>();
  private final List<CompletableFuture<Void>> writabilityWaiters = new ArrayList<>();
  private long lastReadNanos;
  private int keepaliveXid;
  private long keepaliveSentNanos;
  private int nextBundleId = 1;
  private final BundleLink bundleLink = new BundleLink();
  private ScheduledFuture<?> ticking;

  // --- read from any thread ---
  private volatile long datapathId = -1;
  private volatile int tableCount;
  private volatile SwitchPorts ports = SwitchPorts.EMPTY;
  private volatile String closeReason;
  private final CompletableFuture<SwitchSession> ready = new CompletableFuture<>();
  private final CompletableFuture<String> closed = new CompletableFuture<>();

  private SwitchSession(Channel channel, SessionConfig config, SwitchListener listener) {
    this.channel = channel;
    this.config = config;
    this.listener = listener;
    this.ticker = channel.eventLoop().ticker();
    this.remoteAddress = String.valueOf(channel.remoteAddress());
    this.connectedAtNanos = ticker.nanoTime();
    this.lastReadNanos = connectedAtNanos;
  }

  /**
   * Adds the OpenFlow frame decoder and the session handler to the end of {@code channel}'s
   * pipeline (after TLS, if any) and starts the handshake once the channel is active. The channel
   * must be registered with its event loop, whose ticker times the session.
   */
  public static SwitchSession attach(
      Channel channel, SessionConfig config, SwitchListener listener) {
    SwitchSession session =
        new SwitchSession(
            channel,
            Objects.requireNonNull(config, "config"),
            Objects.requireNonNull(listener, "listener"));
    channel.pipeline().addLast("openflow-frames", new OpenFlowFrameDecoder());
    channel.pipeline().addLast("openflow-session", session.new Handler());
    return session;
  }

  // ------------------------------------------------------------------------------------------
  // Public API

  /** The datapath id from FEATURES_REPLY, or -1 before it arrived. */
  public long datapathId() {
    return datapathId;
  }

  /** The datapath id as OVS prints it ({@code 0000aabbccddeeff}), or "unknown". */
  public String datapathIdString() {
    long dpid = datapathId;
    return dpid == -1 && state != State.READY ? "unknown" : String.format("%016x", dpid);
  }

  /** Number of flow tables the switch reported. */
  public int tableCount() {
    return tableCount;
  }

  /** The switch's ports, kept current by PORT_STATUS. */
  public SwitchPorts ports() {
    return ports;
  }

  /** The peer's address ({@code /127.0.0.1:45678}, or the unix socket). */
  public String remoteAddress() {
    return remoteAddress;
  }

  /** Completes when the handshake finishes; fails if the connection closes before. */
  public CompletableFuture<SwitchSession> ready() {
    return ready.copy();
  }

  /** Completes with the reason when the connection has closed. */
  public CompletableFuture<String> closeFuture() {
    return closed.copy();
  }

  public boolean isConnected() {
    return closeReason == null && channel.isActive();
  }

  /** Whether the outbound buffer is below its high water mark. */
  public boolean isWritable() {
    return channel.isWritable();
  }

  /**
   * Completes when the channel is writable (at once if it is); fails if the connection closes
   * first.
   */
  public CompletableFuture<Void> whenWritable() {
    CompletableFuture<Void> f = new CompletableFuture<>();
    onLoop(
        () -> {
          if (closeReason != null) {
            f.completeExceptionally(disconnected("waiting for writability"));
          } else if (channel.isWritable()) {
            f.complete(null);
          } else {
            writabilityWaiters.add(f);
          }
        });
    return f;
  }

  /** Sends a barrier; completes when its reply arrives (all earlier messages are processed). */
  public CompletableFuture<Void> barrier() {
    CompletableFuture<Void> f = new CompletableFuture<>();
    onReadyLoop(
        f,
        () -> {
          int xid = nextXid();
          Barrier b = new Barrier(xid, f);
          if (register(b, barrierRequest())) {
            channel.flush();
          }
        });
    return f;
  }

  /** Sends an echo request; completes with the round-trip time. */
  public CompletableFuture<Duration> echo() {
    CompletableFuture<Duration> f = new CompletableFuture<>();
    onReadyLoop(
        f,
        () -> {
          long sent = ticker.nanoTime();
          Reply r =
              new Reply(
                  nextXid(),
                  "ECHO_REQUEST",
                  MessageType.ECHO_REPLY.code(),
                  m -> f.complete(Duration.ofNanos(ticker.nanoTime() - sent)),
                  f);
          if (register(r, OutgoingMessage.ofLoxi(OF13.buildEchoRequest().build()))) {
            channel.flush();
          }
        });
    return f;
  }

  /**
   * Sends a message that has no reply of its own (FLOW_MOD, GROUP_MOD, ...). The future fails with
   * {@link OpenFlowErrorException} if the switch rejects it, and completes when a later barrier's
   * reply proves it was accepted: follow a batch with {@link #barrier()}.
   */
  public CompletableFuture<Void> send(OutgoingMessage message) {
    CompletableFuture<Void> f = new CompletableFuture<>();
    onReadyLoop(
        f,
        () -> {
          Pending p = new Unconfirmed(nextXid(), message.context(), f);
          if (register(p, message)) {
            awaitingBarrier.add(p);
            channel.flush();
          }
        });
    return f;
  }

  /**
   * Sends a request whose answer is one message of type {@code replyType}; completes with the whole
   * reply message.
   */
  public CompletableFuture<byte[]> request(OutgoingMessage message, int replyType) {
    CompletableFuture<byte[]> f = new CompletableFuture<>();
    onReadyLoop(
        f,
        () -> {
          Reply r =
              new Reply(
                  nextXid(),
                  String.valueOf(message.context()),
                  replyType,
                  m -> f.complete(m.bytes()),
                  f);
          if (register(r, message)) {
            channel.flush();
          }
        });
    return f;
  }

  /**
   * Sends an {@code OFPT_MULTIPART_REQUEST} of {@code multipartType} (e.g. {@link Multipart#FLOW})
   * with the body {@code body} writes, and collects every reply until one arrives without {@code
   * OFPMPF_REPLY_MORE}. Completes with the body of each reply message (after the 16-byte multipart
   * header), in order; decoding the entries is the caller's job.
   */
  public CompletableFuture<List<byte[]>> multipart(int multipartType, Consumer<ByteBuf> body) {
    CompletableFuture<List<byte[]>> f = new CompletableFuture<>();
    onReadyLoop(
        f,
        () -> {
          MultipartCollector c = new MultipartCollector(nextXid(), multipartType, f);
          if (register(c, multipartRequest(multipartType, body))) {
            channel.flush();
          }
        });
    return f;
  }

  /** {@link #multipart(int, Consumer)} with an empty body (PORT_DESC, GROUP_DESC, ...). */
  public CompletableFuture<List<byte[]>> multipart(int multipartType) {
    return multipart(multipartType, out -> {});
  }

  /**
   * Applies {@code messages} as one atomic, ordered ONF bundle and completes when the switch has
   * committed it and answered the barrier behind it.
   *
   * <p>Sequence: OPEN, one ADD per message, BARRIER; if the switch rejected any ADD (OVS decodes
   * and checks each message when it is added and reports the error with that add's xid, but would
   * still commit the others), the bundle is DISCARDed and the future fails with a {@link
   * BundleFailedException} naming every rejected message. Otherwise COMMIT, BARRIER: a message that
   * fails during the commit is reported with its add's xid, followed by an ONF {@code
   * OFPBFC_MSG_FAILED} error on the commit; both are correlated. If the connection drops before the
   * commit, the switch discards the bundle and keeps its tables.
   *
   * <p>Adds are written in chunks, waiting for the channel to become writable again whenever the
   * outbound buffer passes its high water mark.
   */
  public CompletableFuture<BundleResult> bundle(List<? extends OutgoingMessage> messages) {
    List<OutgoingMessage> inner = List.copyOf(messages);
    CompletableFuture<BundleResult> f = new CompletableFuture<>();
    onReadyLoop(
        f,
        () -> {
          if (inner.isEmpty()) {
            f.complete(new BundleResult(0, 0, Duration.ZERO));
            return;
          }
          new BundleOperation(bundleLink, nextBundleId++, inner, f).start();
        });
    return f;
  }

  /** Closes the connection; pending requests fail with {@link SwitchDisconnectedException}. */
  public void disconnect(String reason) {
    onLoop(() -> close(reason));
  }

  /**
   * Checks the timers against the ticker: handshake timeout, echo keepalive, request deadlines.
   * Runs on the event loop.
   */
  public void tick() {
    onLoop(this::checkTimers);
  }

  @Override
  public String toString() {
    return name();
  }

  /** How logs and exceptions name this switch: datapath id (once known) and remote address. */
  public String name() {
    long dpid = datapathId;
    return dpid == -1 && state != State.READY
        ? "switch " + remoteAddress
        : String.format("switch dpid=%016x (%s)", dpid, remoteAddress);
  }

  // ------------------------------------------------------------------------------------------
  // Netty handler

  private final class Handler extends ChannelInboundHandlerAdapter {
    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
      if (ctx.channel().isActive()) {
        start();
      }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      start();
      ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      try {
        if (msg instanceof ByteBuf frame) {
          onFrame(frame);
        } else if (msg instanceof MalformedFrame bad) {
          close("malformed OpenFlow stream: " + bad.reason());
        } else {
          log.warn("{}: unexpected pipeline object {}", name(), msg.getClass().getName());
        }
      } catch (RuntimeException e) {
        // A bug in a state handler or a listener must not kill the event loop or other switches.
        log.error("{}: failure while handling a message; closing", name(), e);
        close("internal error: " + e);
      } finally {
        ReferenceCountUtil.release(msg);
      }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
      if (ctx.channel().isWritable() && !writabilityWaiters.isEmpty()) {
        List<CompletableFuture<Void>> waiters = new ArrayList<>(writabilityWaiters);
        writabilityWaiters.clear();
        waiters.forEach(w -> w.complete(null));
      }
      ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      close("connection closed by the switch");
      ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      log.warn("{}: channel error: {}", name(), cause.toString());
      close("channel error: " + cause);
    }
  }

  private void start() {
    if (started) {
      return;
    }
    started = true;
    lastReadNanos = ticker.nanoTime();
    if (!config.tickInterval().isZero()) {
      long period = config.tickInterval().toNanos();
      ticking =
          channel
              .eventLoop()
              .scheduleAtFixedRate(this::checkTimers, period, period, TimeUnit.NANOSECONDS);
    }
    // HELLO with a version bitmap that offers exactly OpenFlow 1.3 (bit 4).
    handshakeXid = nextXid();
    write(
        OutgoingMessage.ofLoxi(
            OF13.buildHello()
                .setElements(
                    List.of(
                        OF13.buildHelloElemVersionbitmap()
                            .setBitmaps(List.of(U32.of(1 << OpenFlowWire.VERSION_13)))
                            .build()))
                .build()),
        handshakeXid);
    channel.flush();
  }

  // ------------------------------------------------------------------------------------------
  // Inbound dispatch

  private void onFrame(ByteBuf frame) {
    if (state == State.CLOSED) {
      return;
    }
    lastReadNanos = ticker.nanoTime();
    Inbound m =
        new Inbound(
            OpenFlowWire.version(frame), OpenFlowWire.type(frame), OpenFlowWire.xid(frame), frame);
    if (state != State.HELLO_WAIT && m.version != OpenFlowWire.VERSION_13) {
      close(
          String.format(
              "message %s with version 0x%02x after negotiating OpenFlow 1.3",
              MessageType.nameOf(m.type), m.version));
      return;
    }
    if (state != State.HELLO_WAIT && m.type == MessageType.ECHO_REQUEST.code()) {
      answerEcho(m);
      return;
    }
    if (m.type == MessageType.ECHO_REPLY.code() && m.xid == keepaliveXid && keepaliveXid != 0) {
      keepaliveXid = 0;
      return;
    }
    state.handle(this, m);
  }

  private void negotiate(Inbound m) {
    // Hello elements: type u16, length u16, then for VERSIONBITMAP (1) u32 bitmaps; 8-aligned.
    boolean haveBitmap = false;
    boolean offers13 = false;
    ByteBuf f = m.frame;
    int i = f.readerIndex() + OpenFlowWire.HEADER_LENGTH;
    int end = f.readerIndex() + f.readableBytes();
    while (i + 4 <= end) {
      int type = f.getUnsignedShort(i);
      int length = f.getUnsignedShort(i + 2);
      if (length < 4 || i + length > end) {
        break;
      }
      if (type == 1 && length >= 8) {
        haveBitmap = true;
        offers13 = (f.getInt(i + 4) & (1 << OpenFlowWire.VERSION_13)) != 0;
      }
      i += (length + 7) / 8 * 8;
    }
    boolean ok = haveBitmap ? offers13 : m.version >= OpenFlowWire.VERSION_13;
    if (!ok) {
      String text =
          String.format(
              "Sluice speaks only OpenFlow 1.3 (0x04); switch offered version 0x%02x%s",
              m.version, haveBitmap ? " with a bitmap lacking 1.3" : "");
      writeHelloFailed(m, text);
      close("version negotiation failed: " + text);
      return;
    }
    handshakeXid = nextXid();
    write(OutgoingMessage.ofLoxi(OF13.buildFeaturesRequest().build()), handshakeXid);
    channel.flush();
    state = State.FEATURES_WAIT;
  }

  private void writeHelloFailed(Inbound hello, String text) {
    ByteBuf out = channel.alloc().buffer();
    out.writeByte(hello.version);
    out.writeByte(MessageType.ERROR.code());
    out.writeShort(0);
    out.writeInt(hello.xid);
    out.writeShort(ErrorCodes.HELLO_FAILED);
    out.writeShort(ErrorCodes.HELLO_FAILED_INCOMPATIBLE);
    out.writeCharSequence(text, StandardCharsets.US_ASCII);
    out.setShort(OpenFlowWire.LENGTH_OFFSET, out.readableBytes());
    channel.writeAndFlush(out);
  }

  private void onFeaturesReply(Inbound m) {
    Optional<OFMessage> decoded = decode(m);
    if (decoded.isEmpty()) {
      return; // logged as UnknownMessage; the handshake timeout closes the connection
    }
    OFFeaturesReply reply = (OFFeaturesReply) decoded.get();
    datapathId = reply.getDatapathId().getLong();
    tableCount = reply.getNTables();
    log.info("{}: features: {} tables, {} buffers", name(), tableCount, reply.getNBuffers());
    handshakeXid = nextXid();
    write(OutgoingMessage.ofLoxi(OF13.buildPortDescStatsRequest().build()), handshakeXid);
    channel.flush();
    state = State.PORT_DESC_WAIT;
  }

  private void onPortDescReply(Inbound m) {
    if (multipartType(m.frame) != Multipart.PORT_DESC) {
      handshakeMessage(m);
      return;
    }
    Optional<OFMessage> decoded = decode(m);
    if (decoded.isEmpty()) {
      return;
    }
    ((OFPortDescStatsReply) decoded.get())
        .getEntries()
        .forEach(p -> handshakePorts.add(toPortDescription(p)));
    if ((multipartFlags(m.frame) & Multipart.FLAG_MORE) != 0) {
      return;
    }
    ports = SwitchPorts.of(handshakePorts);
    handshakePorts.clear();
    write(
        OutgoingMessage.ofLoxi(
            OF13.buildSetConfig().setFlags(Set.of()).setMissSendLen(config.missSendLen()).build()),
        nextXid());
    handshakeXid = nextXid();
    write(barrierRequest(), handshakeXid);
    channel.flush();
    state = State.CONFIG_WAIT;
  }

  private void becomeReady() {
    handshakeXid = 0;
    state = State.READY;
    log.info("{}: connected, {} ports: {}", name(), ports.size(), ports);
    ready.complete(this);
    listener.switchConnected(this);
  }

  /** Messages during the handshake that are not the awaited reply. */
  private void handshakeMessage(Inbound m) {
    if (m.type == MessageType.ERROR.code()) {
      OpenFlowError e = OpenFlowError.parse(m.frame);
      close("switch rejected the handshake in state " + state + " with " + e);
    } else if (m.type == MessageType.PORT_STATUS.code()) {
      onPortStatus(m, false);
    } else {
      log.debug(
          "{}: ignoring {} (xid 0x{}) during handshake state {}",
          name(),
          MessageType.nameOf(m.type),
          Integer.toHexString(m.xid),
          state);
    }
  }

  private void readyMessage(Inbound m) {
    MessageType type = MessageType.fromCode(m.type);
    if (type == null) {
      unhandled(m, "unknown message type");
      return;
    }
    switch (type) {
      case ERROR -> onError(m);
      case PORT_STATUS -> onPortStatus(m, true);
      case PACKET_IN -> listener.packetIn(this, m.bytes());
      case BARRIER_REPLY,
          MULTIPART_REPLY,
          ECHO_REPLY,
          EXPERIMENTER,
          GET_CONFIG_REPLY,
          ROLE_REPLY,
          GET_ASYNC_REPLY,
          QUEUE_GET_CONFIG_REPLY,
          FEATURES_REPLY -> {
        Pending p = pending.get(m.xid);
        if (p == null || !p.onMessage(m)) {
          unhandled(m, "no pending request for this reply");
        }
      }
      default -> unhandled(m, "not handled by the session");
    }
  }

  private void onError(Inbound m) {
    OpenFlowError error = OpenFlowError.parse(m.frame);
    Pending p = m.xid == 0 ? null : pending.get(m.xid);
    if (p != null) {
      log.debug("{}: xid 0x{} failed: {}", name(), Integer.toHexString(m.xid), error);
      p.onError(error);
    } else {
      log.warn(
          "{}: error for no pending request: xid 0x{} {}",
          name(),
          Integer.toHexString(m.xid),
          error);
      listener.asyncError(this, error);
    }
  }

  private void onPortStatus(Inbound m, boolean notify) {
    Optional<OFMessage> decoded = decode(m);
    if (decoded.isEmpty()) {
      return;
    }
    OFPortStatus loxi = (OFPortStatus) decoded.get();
    PortStatus status =
        new PortStatus(
            PortStatus.Reason.valueOf(loxi.getReason().name()), toPortDescription(loxi.getDesc()));
    ports = ports.with(status);
    log.info(
        "{}: port {} {} ({})",
        name(),
        status.reason(),
        status.port().name(),
        status.port().number());
    if (notify) {
      listener.portStatus(this, status);
    }
  }

  private void answerEcho(Inbound m) {
    ByteBuf out = channel.alloc().buffer(m.frame.readableBytes());
    out.writeBytes(m.frame, m.frame.readerIndex(), m.frame.readableBytes());
    out.setByte(1, MessageType.ECHO_REPLY.code());
    channel.writeAndFlush(out);
  }

  /** Decodes with Loxi; anything Loxi cannot decode becomes a logged {@link UnknownMessage}. */
  private Optional<OFMessage> decode(Inbound m) {
    try {
      OFMessage msg = OFFactories.getGenericReader().readFrom(m.frame.duplicate());
      if (msg == null) {
        unhandled(m, "Loxi could not decode it (incomplete)");
        return Optional.empty();
      }
      return Optional.of(msg);
    } catch (Exception | LinkageError e) {
      // OFParseError and the runtime exceptions Loxi throws on OVS-specific content.
      unhandled(m, "Loxi could not decode it: " + e);
      return Optional.empty();
    }
  }

  private void unhandled(Inbound m, String reason) {
    UnknownMessage u = new UnknownMessage(m.version, m.type, m.xid, m.bytes(), reason);
    log.info("{}: {}", name(), u);
    listener.unhandledMessage(this, u);
  }

  private static PortDescription toPortDescription(OFPortDesc p) {
    return new PortDescription(
        p.getPortNo().getPortNumber() & 0xffffffffL,
        p.getName(),
        p.getHwAddr().toString(),
        OFPortConfigSerializerVer13.toWireValue(
            p.getConfig().isEmpty()
                ? EnumSet.noneOf(OFPortConfig.class)
                : EnumSet.copyOf(p.getConfig())),
        OFPortStateSerializerVer13.toWireValue(
            p.getState().isEmpty()
                ? EnumSet.noneOf(OFPortState.class)
                : EnumSet.copyOf(p.getState())),
        p.getCurrSpeed());
  }

  private static int multipartType(ByteBuf frame) {
    return frame.readableBytes() >= 10 ? frame.getUnsignedShort(frame.readerIndex() + 8) : -1;
  }

  private static int multipartFlags(ByteBuf frame) {
    return frame.readableBytes() >= 12 ? frame.getUnsignedShort(frame.readerIndex() + 10) : 0;
  }

  // ------------------------------------------------------------------------------------------
  // Timers

  private void checkTimers() {
    if (state == State.CLOSED) {
      return;
    }
    long now = ticker.nanoTime();
    if (state != State.READY && now - connectedAtNanos >= config.handshakeTimeout().toNanos()) {
      close(
          String.format(
              "handshake not finished within %d ms (stuck in %s)",
              config.handshakeTimeout().toMillis(), state));
      return;
    }
    if (keepaliveXid != 0) {
      if (now - keepaliveSentNanos >= config.echoTimeout().toNanos()) {
        close(String.format("no echo reply within %d ms", config.echoTimeout().toMillis()));
        return;
      }
    } else if (state != State.HELLO_WAIT
        && now - lastReadNanos >= config.echoInterval().toNanos()) {
      keepaliveXid = nextXid();
      keepaliveSentNanos = now;
      write(OutgoingMessage.ofLoxi(OF13.buildEchoRequest().build()), keepaliveXid);
      channel.flush();
    }
    List<Pending> expired = new ArrayList<>();
    for (Pending p : pending.values()) {
      if (now - p.deadline >= 0) {
        expired.add(p);
      }
    }
    for (Pending p : expired) {
      if (pending.get(p.xid) == p) {
        p.expire();
      }
    }
  }

  // ------------------------------------------------------------------------------------------
  // Closing

  private void close(String reason) {
    if (state == State.CLOSED) {
      return;
    }
    boolean wasReady = state == State.READY;
    State was = state;
    state = State.CLOSED;
    closeReason = reason;
    if (ticking != null) {
      ticking.cancel(false);
    }
    if (wasReady) {
      log.info("{}: disconnected: {}", name(), reason);
    } else {
      log.warn("{}: connection closed in handshake state {}: {}", name(), was, reason);
    }
    List<Pending> all = new ArrayList<>(pending.values());
    pending.clear();
    awaitingBarrier.clear();
    for (Pending p : all) {
      p.disconnected(reason);
    }
    List<CompletableFuture<Void>> waiters = new ArrayList<>(writabilityWaiters);
    writabilityWaiters.clear();
    waiters.forEach(w -> w.completeExceptionally(disconnected("waiting for writability")));
    ready.completeExceptionally(disconnected("handshake"));
    closed.complete(reason);
    channel.close();
    if (wasReady) {
      listener.switchDisconnected(this, reason);
    }
  }

  private SwitchDisconnectedException disconnected(String what) {
    return new SwitchDisconnectedException(name(), what, String.valueOf(closeReason));
  }

  // ------------------------------------------------------------------------------------------
  // Writing and xids

  private void onLoop(Runnable task) {
    if (channel.eventLoop().inEventLoop()) {
      task.run();
    } else {
      channel.eventLoop().execute(task);
    }
  }

  /** Runs {@code task} on the event loop if the session is READY, else fails {@code f}. */
  private void onReadyLoop(CompletableFuture<?> f, Runnable task) {
    onLoop(
        () -> {
          if (state == State.READY) {
            try {
              task.run();
            } catch (RuntimeException e) {
              f.completeExceptionally(e);
            }
          } else if (state == State.CLOSED) {
            f.completeExceptionally(disconnected("request"));
          } else {
            f.completeExceptionally(
                new IllegalStateException(name() + ": handshake not finished (" + state + ")"));
          }
        });
  }

  /** The next xid: never 0, and never one still awaiting its reply (wrap-around safe). */
  int nextXid() {
    do {
      lastXid++;
    } while (lastXid == 0
        || pending.containsKey(lastXid)
        || lastXid == keepaliveXid
        || lastXid == handshakeXid);
    return lastXid;
  }

  /** For tests: makes the next xids start after {@code xid}. */
  void setLastXid(int xid) {
    onLoop(() -> lastXid = xid);
  }

  /** Writes {@code message} with {@code xid} (no flush); throws if it does not encode. */
  private void write(OutgoingMessage message, int xid) {
    ByteBuf out = encode(message, xid);
    sendSequence++;
    channel.write(out);
  }

  private ByteBuf encode(OutgoingMessage message, int xid) {
    ByteBuf out = channel.alloc().buffer();
    boolean ok = false;
    try {
      message.encode(out, xid);
      checkEncoding(out, 0, message, xid, OpenFlowWire.MAX_MESSAGE_LENGTH);
      ok = true;
      return out;
    } finally {
      if (!ok) {
        out.release();
      }
    }
  }

  private static void checkEncoding(
      ByteBuf out, int start, OutgoingMessage message, int xid, int maxLength) {
    int written = out.writerIndex() - start;
    if (written < OpenFlowWire.HEADER_LENGTH) {
      throw new IllegalArgumentException(
          "encoder of " + message.context() + " wrote " + written + " bytes, less than a header");
    }
    int version = out.getUnsignedByte(start);
    int type = out.getUnsignedByte(start + 1);
    int length = out.getUnsignedShort(start + OpenFlowWire.LENGTH_OFFSET);
    int writtenXid = out.getInt(start + OpenFlowWire.XID_OFFSET);
    String problem = null;
    if (version != OpenFlowWire.VERSION_13) {
      problem = String.format("version 0x%02x instead of 0x04", version);
    } else if (type != message.type()) {
      problem = "type " + type + " but type() says " + message.type();
    } else if (length != written) {
      problem = "length field " + length + " but " + written + " bytes written";
    } else if (written > maxLength) {
      problem = written + " bytes, more than the limit of " + maxLength;
    } else if (writtenXid != xid) {
      problem = String.format("xid 0x%08x instead of 0x%08x", writtenXid, xid);
    }
    if (problem != null) {
      throw new IllegalArgumentException(
          "bad encoding of "
              + MessageType.nameOf(message.type())
              + " for "
              + message.context()
              + ": "
              + problem);
    }
  }

  /**
   * Registers {@code p} and writes {@code message} with its xid (no flush). If encoding fails, the
   * request fails with the encoder's exception and nothing is written.
   */
  private boolean register(Pending p, OutgoingMessage message) {
    ByteBuf out;
    try {
      out = encode(message, p.xid);
    } catch (RuntimeException e) {
      p.fail(e);
      return false;
    }
    pending.put(p.xid, p);
    p.sequence = ++sendSequence;
    channel.write(out);
    return true;
  }

  private static OutgoingMessage barrierRequest() {
    return OutgoingMessage.ofLoxi(OF13.buildBarrierRequest().build());
  }

  private static OutgoingMessage multipartRequest(int multipartType, Consumer<ByteBuf> body) {
    return new OutgoingMessage() {
      @Override
      public int type() {
        return MessageType.MULTIPART_REQUEST.code();
      }

      @Override
      public void encode(ByteBuf out, int xid) {
        int start = OpenFlowWire.writeHeader(out, type(), xid);
        out.writeShort(multipartType);
        out.writeShort(0);
        out.writeZero(4);
        body.accept(out);
        OpenFlowWire.finishLength(out, start);
      }

      @Override
      public Object context() {
        return "MULTIPART_REQUEST type " + multipartType;
      }
    };
  }

  /** Completes every {@link #send} written before the barrier with sequence {@code sequence}. */
  private void confirmBefore(long sequence) {
    while (!awaitingBarrier.isEmpty() && awaitingBarrier.peek().sequence < sequence) {
      Pending p = awaitingBarrier.poll();
      if (pending.remove(p.xid, p)) {
        p.confirm();
      }
    }
  }

  // ------------------------------------------------------------------------------------------
  // Pending requests

  /** A request awaiting its reply, keyed by xid in {@link #pending}. */
  private abstract class Pending {
    final int xid;
    final String what;
    long deadline;
    long sequence;

    Pending(int xid, String what) {
      this.xid = xid;
      this.what = what;
      this.deadline = ticker.nanoTime() + config.requestTimeout().toNanos();
    }

    /** A reply with this xid; returns false if it is not one this request expects. */
    abstract boolean onMessage(Inbound m);

    /** An error with this xid. */
    abstract void onError(OpenFlowError error);

    /** Fails the request (encoding error, timeout, disconnect). */
    abstract void fail(Throwable t);

    /** A later barrier was answered (only for requests without replies). */
    void confirm() {}

    void expire() {
      pending.remove(xid);
      fail(new DeadlineExceededException(name(), xid, what, config.requestTimeout()));
    }

    void disconnected(String reason) {
      fail(new SwitchDisconnectedException(name(), what, reason));
    }

    OpenFlowErrorException errorException(OpenFlowError error, Object context) {
      return new OpenFlowErrorException(name(), xid, error, context);
    }
  }

  /** A request answered by exactly one message of a known type. */
  private final class Reply extends Pending {
    private final int replyType;
    private final Consumer<Inbound> onReply;
    private final CompletableFuture<?> future;

    Reply(
        int xid,
        String what,
        int replyType,
        Consumer<Inbound> onReply,
        CompletableFuture<?> future) {
      super(xid, what);
      this.replyType = replyType;
      this.onReply = onReply;
      this.future = future;
    }

    @Override
    boolean onMessage(Inbound m) {
      if (m.type != replyType) {
        return false;
      }
      pending.remove(xid);
      onReply.accept(m);
      return true;
    }

    @Override
    void onError(OpenFlowError error) {
      pending.remove(xid);
      future.completeExceptionally(errorException(error, what));
    }

    @Override
    void fail(Throwable t) {
      future.completeExceptionally(t);
    }
  }

  /** A barrier; its reply also confirms every {@link #send} written before it. */
  private final class Barrier extends Pending {
    private final CompletableFuture<Void> future;

    Barrier(int xid, CompletableFuture<Void> future) {
      super(xid, "BARRIER_REQUEST");
      this.future = future;
    }

    @Override
    boolean onMessage(Inbound m) {
      if (m.type != MessageType.BARRIER_REPLY.code()) {
        return false;
      }
      pending.remove(xid);
      confirmBefore(sequence);
      future.complete(null);
      return true;
    }

    @Override
    void onError(OpenFlowError error) {
      pending.remove(xid);
      future.completeExceptionally(errorException(error, what));
    }

    @Override
    void fail(Throwable t) {
      future.completeExceptionally(t);
    }
  }

  /** A message without a reply, confirmed by a later barrier. */
  private final class Unconfirmed extends Pending {
    private final Object context;
    private final CompletableFuture<Void> future;

    Unconfirmed(int xid, Object context, CompletableFuture<Void> future) {
      super(xid, String.valueOf(context));
      this.context = context;
      this.future = future;
      this.deadline = Long.MAX_VALUE / 2 + ticker.nanoTime(); // waits for a barrier, however late
    }

    @Override
    boolean onMessage(Inbound m) {
      return false;
    }

    @Override
    void onError(OpenFlowError error) {
      pending.remove(xid);
      awaitingBarrier.remove(this);
      future.completeExceptionally(errorException(error, context));
    }

    @Override
    void fail(Throwable t) {
      future.completeExceptionally(t);
    }

    @Override
    void confirm() {
      future.complete(null);
    }
  }

  /** Collects the replies of one multipart request until one without REPLY_MORE. */
  private final class MultipartCollector extends Pending {
    private final int multipartType;
    private final CompletableFuture<List<byte[]>> future;
    private final List<byte[]> bodies = new ArrayList<>();

    MultipartCollector(int xid, int multipartType, CompletableFuture<List<byte[]>> future) {
      super(xid, "MULTIPART_REQUEST type " + multipartType);
      this.multipartType = multipartType;
      this.future = future;
    }

    @Override
    boolean onMessage(Inbound m) {
      if (m.type != MessageType.MULTIPART_REPLY.code()) {
        return false;
      }
      if (multipartType(m.frame) != multipartType) {
        pending.remove(xid);
        future.completeExceptionally(
            new IllegalStateException(
                name()
                    + ": multipart reply of type "
                    + multipartType(m.frame)
                    + " to a request of type "
                    + multipartType));
        return true;
      }
      int bodyLength = m.frame.readableBytes() - Multipart.HEADER_LENGTH;
      bodies.add(
          ByteBufUtil.getBytes(
              m.frame, m.frame.readerIndex() + Multipart.HEADER_LENGTH, Math.max(0, bodyLength)));
      if ((multipartFlags(m.frame) & Multipart.FLAG_MORE) != 0) {
        deadline = ticker.nanoTime() + config.requestTimeout().toNanos();
      } else {
        pending.remove(xid);
        future.complete(List.copyOf(bodies));
      }
      return true;
    }

    @Override
    void onError(OpenFlowError error) {
      pending.remove(xid);
      future.completeExceptionally(errorException(error, what));
    }

    @Override
    void fail(Throwable t) {
      future.completeExceptionally(t);
    }
  }

  // ------------------------------------------------------------------------------------------
  // Bundles

  /** What a {@link BundleOperation} sees of this session. */
  private final class BundleLink implements BundleOperation.Link {
    @Override
    public String name() {
      return SwitchSession.this.name();
    }

    @Override
    public long nanoTime() {
      return ticker.nanoTime();
    }

    @Override
    public Duration requestTimeout() {
      return config.requestTimeout();
    }

    @Override
    public ByteBufAllocator alloc() {
      return channel.alloc();
    }

    @Override
    public BundleOperation.Part part(
        @Nullable BundleOperation op, String what, int index, long deadlineNanos) {
      BundlePart p = new BundlePart(new BundleOperation.Part(nextXid(), what, index), op);
      p.deadline = deadlineNanos;
      pending.put(p.xid, p);
      return p.part;
    }

    @Override
    public void forget(BundleOperation.Part part) {
      if (pending.get(part.xid) instanceof BundlePart p && p.part == part) {
        pending.remove(part.xid);
      }
    }

    @Override
    public void write(BundleOperation.Part part, ByteBuf out) {
      part.sequence = ++sendSequence;
      channel.write(out);
    }

    @Override
    public ByteBuf barrier(int xid) {
      return encode(barrierRequest(), xid);
    }

    @Override
    public void checkEncoding(
        ByteBuf out, int start, OutgoingMessage message, int xid, int maxLength) {
      SwitchSession.checkEncoding(out, start, message, xid, maxLength);
    }

    @Override
    public void confirmBefore(long sequence) {
      SwitchSession.this.confirmBefore(sequence);
    }

    @Override
    public boolean isWritable() {
      return channel.isWritable();
    }

    @Override
    public void flush() {
      channel.flush();
    }

    @Override
    public void whenWritable(Runnable resume) {
      SwitchSession.this
          .whenWritable()
          .whenComplete(
              (ok, t) -> {
                if (t == null) {
                  onLoop(resume);
                }
              });
    }

    @Override
    public boolean isClosed() {
      return closeReason != null;
    }
  }

  /**
   * One xid of a {@link BundleOperation}, routing its replies and errors there; {@code op} is null
   * for a fire-and-forget discard.
   */
  private final class BundlePart extends Pending {
    final BundleOperation.Part part;
    final @Nullable BundleOperation op;

    BundlePart(BundleOperation.Part part, @Nullable BundleOperation op) {
      super(part.xid, part.what);
      this.part = part;
      this.op = op;
    }

    @Override
    boolean onMessage(Inbound m) {
      if (op == null) {
        pending.remove(xid);
        return true;
      }
      return op.onMessage(part, m);
    }

    @Override
    void onError(OpenFlowError error) {
      if (op == null) {
        pending.remove(xid);
        BundleOperation.discardAnswered(name(), part, error);
        return;
      }
      op.onError(part, error);
    }

    @Override
    void fail(Throwable t) {
      if (op != null) {
        op.complete(t);
      }
    }

    @Override
    void expire() {
      if (op == null) {
        pending.remove(xid);
      } else {
        op.expire(part);
      }
    }

    @Override
    void disconnected(String reason) {
      if (op != null) {
        op.disconnected(reason);
      }
    }
  }
}
