package dev.sluice.southbound.channel;

import dev.sluice.southbound.wire.MalformedFrame;
import dev.sluice.southbound.wire.MessageType;
import dev.sluice.southbound.wire.Multipart;
import dev.sluice.southbound.wire.OpenFlowFrameDecoder;
import dev.sluice.southbound.wire.OpenFlowWire;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.projectfloodlight.openflow.protocol.OFPortStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One OpenFlow 1.3 connection to a switch, and the last handler of its pipeline.
 *
 * <p>{@link #attach} builds the pipeline (see the package documentation): the frame decoder,
 * Netty's idle handler and {@link EchoKeepalive}, the {@link HandshakeHandler} (HELLO → FEATURES →
 * PORT_DESC → SET_CONFIG + BARRIER, which removes itself when done) and this session. The session
 * owns the connection's life: it becomes ready on {@link SessionEvent.Established}, closes on a
 * {@link SessionEvent.Disconnect} (or a malformed frame, or the switch hanging up) with the reason,
 * and calls the {@link SwitchListener}.
 *
 * <p>Requests get an xid (never 0, skipping xids still in flight) and a {@link CompletableFuture};
 * the {@link Requests} in flight correlate every reply and every {@code OFPT_ERROR} by xid and fail
 * only the request it answers, with an {@link OpenFlowErrorException}; errors that answer nothing
 * go to {@link SwitchListener#asyncError}. Bundles ({@link #bundle(List)}) follow OVN's ofctrl: one
 * ordered, atomic bundle per update followed by a barrier, run by a {@link BundleOperation}.
 *
 * <p>All mutable state is confined to the channel's event loop. Public methods may be called from
 * any thread; listener callbacks run on the event loop. Time is the event loop's own ticker ({@code
 * channel.eventLoop().ticker()}): the handshake and idle timeouts are Netty timers on that loop,
 * and request deadlines are checked every {@link SessionConfig#tickInterval()} (or at once by
 * {@link #tick()}); so a test on an {@code EmbeddedChannel} moves time with {@code advanceTimeBy}
 * and fires what fell due with {@code runScheduledPendingTasks()}.
 */
public final class SwitchSession {
  private static final Logger log = LoggerFactory.getLogger(SwitchSession.class);

  /** The names of the handlers {@link #attach} adds, in pipeline order. */
  static final String FRAMES = "openflow-frames";

  static final String IDLE = "openflow-idle";
  static final String ECHO = "openflow-echo";
  static final String HANDSHAKE = "openflow-handshake";
  static final String SESSION = "openflow-session";

  /** The life of the connection as the session sees it. */
  enum State {
    /** {@link HandshakeHandler} is still in the pipeline; requests are refused. */
    HANDSHAKING,
    /** Replies are correlated to requests, asynchronous messages go to the listener. */
    READY,
    /** Closed or closing: everything is dropped. */
    CLOSED
  }

  private final Channel channel;
  private final SessionConfig config;
  private final SwitchListener listener;
  private final String remoteAddress;
  private final Xids xids;
  private final Requests requests;
  private final Handler handler = new Handler();

  // --- event-loop confined ---
  private State state = State.HANDSHAKING;
  private boolean started;
  private @Nullable ScheduledFuture<?> ticking;

  // --- read from any thread ---
  private volatile long datapathId = -1;
  private volatile int tableCount;
  private volatile SwitchPorts ports = SwitchPorts.EMPTY;
  private volatile @Nullable String closeReason;
  private final CompletableFuture<SwitchSession> ready = new CompletableFuture<>();
  private final CompletableFuture<String> closed = new CompletableFuture<>();

  /** A session for {@code channel}; {@link #handler()} is its pipeline handler. */
  SwitchSession(Channel channel, SessionConfig config, SwitchListener listener, Xids xids) {
    this.channel = channel;
    this.config = Objects.requireNonNull(config, "config");
    this.listener = Objects.requireNonNull(listener, "listener");
    this.remoteAddress = String.valueOf(channel.remoteAddress());
    this.xids = xids;
    this.requests = new Requests(channel, xids, this::name, config.requestTimeout());
  }

  /**
   * Adds the OpenFlow handlers and the session to the end of {@code channel}'s pipeline (after TLS,
   * if any); the handshake starts once the channel is active. The channel must be registered with
   * its event loop, whose ticker times the session.
   */
  public static SwitchSession attach(
      Channel channel, SessionConfig config, SwitchListener listener) {
    Xids xids = new Xids();
    SwitchSession session = new SwitchSession(channel, config, listener, xids);
    ChannelPipeline p = channel.pipeline();
    p.addLast(FRAMES, new OpenFlowFrameDecoder());
    p.addLast(IDLE, EchoKeepalive.idleHandler(config.echoInterval()));
    p.addLast(ECHO, new EchoKeepalive(config.echoTimeout(), xids, session::name));
    p.addLast(HANDSHAKE, new HandshakeHandler(config, xids, session::name));
    p.addLast(SESSION, session.handler());
    return session;
  }

  ChannelHandler handler() {
    return handler;
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
    onLoop(() -> requests.whenWritable(f));
    return f;
  }

  /** Sends a barrier; completes when its reply arrives (all earlier messages are processed). */
  public CompletableFuture<Void> barrier() {
    CompletableFuture<Void> f = new CompletableFuture<>();
    onReadyLoop(f, () -> requests.barrier(f));
    return f;
  }

  /** Sends an echo request; completes with the round-trip time. */
  public CompletableFuture<Duration> echo() {
    CompletableFuture<Duration> f = new CompletableFuture<>();
    onReadyLoop(f, () -> requests.echo(f));
    return f;
  }

  /**
   * Sends a message that has no reply of its own (FLOW_MOD, GROUP_MOD, ...). The future fails with
   * {@link OpenFlowErrorException} if the switch rejects it, and completes when a later barrier's
   * reply proves it was accepted: follow a batch with {@link #barrier()}.
   */
  public CompletableFuture<Void> send(OutgoingMessage message) {
    CompletableFuture<Void> f = new CompletableFuture<>();
    onReadyLoop(f, () -> requests.send(message, f));
    return f;
  }

  /**
   * Sends a request whose answer is one message of type {@code replyType}; completes with the whole
   * reply message.
   */
  public CompletableFuture<byte[]> request(OutgoingMessage message, int replyType) {
    CompletableFuture<byte[]> f = new CompletableFuture<>();
    onReadyLoop(f, () -> requests.request(message, replyType, f));
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
    onReadyLoop(f, () -> requests.multipart(multipartType, body, f));
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
    onReadyLoop(f, () -> requests.bundle(inner, f));
    return f;
  }

  /** Closes the connection; pending requests fail with {@link SwitchDisconnectedException}. */
  public void disconnect(String reason) {
    onLoop(() -> close(reason));
  }

  /**
   * Checks the request deadlines against the ticker now, on the event loop (the handshake and idle
   * timeouts are timers of their own).
   */
  public void tick() {
    onLoop(this::checkDeadlines);
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

  /** For tests: makes the next xids start after {@code xid}. */
  void setLastXid(int xid) {
    onLoop(() -> xids.setLast(xid));
  }

  // ------------------------------------------------------------------------------------------
  // The session handler

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
          onFrame(Inbound.of(frame));
        } else if (msg instanceof UnknownMessage u) {
          unhandled(u); // what the handshake could not decode
        } else if (msg instanceof MalformedFrame bad) {
          close("malformed OpenFlow stream: " + bad.reason());
        } else {
          log.warn("{}: unexpected pipeline object {}", name(), msg.getClass().getName());
        }
      } catch (RuntimeException e) {
        // A bug in a handler or a listener must not kill the event loop or other switches.
        log.error("{}: failure while handling a message; closing", name(), e);
        close("internal error: " + e);
      } finally {
        ReferenceCountUtil.release(msg);
      }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt instanceof SessionEvent.Features f) {
        datapathId = f.datapathId();
        tableCount = f.tableCount();
      } else if (evt instanceof SessionEvent.Established e) {
        datapathId = e.features().datapathId();
        tableCount = e.features().tableCount();
        ports = e.ports();
        becomeReady();
      } else if (evt instanceof SessionEvent.Disconnect d) {
        close(d.reason());
      } else {
        ctx.fireUserEventTriggered(evt);
      }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
      requests.writabilityChanged();
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
    if (!config.tickInterval().isZero()) {
      long period = config.tickInterval().toNanos();
      ticking =
          channel
              .eventLoop()
              .scheduleAtFixedRate(this::checkDeadlines, period, period, TimeUnit.NANOSECONDS);
    }
  }

  private void becomeReady() {
    if (state != State.HANDSHAKING) {
      return;
    }
    state = State.READY;
    log.info("{}: connected, {} ports: {}", name(), ports.size(), ports);
    ready.complete(this);
    listener.switchConnected(this);
  }

  // ------------------------------------------------------------------------------------------
  // Inbound dispatch

  private void onFrame(Inbound m) {
    if (state == State.CLOSED) {
      return;
    }
    if (m.version() != OpenFlowWire.VERSION_13) {
      close(
          String.format(
              "message %s with version 0x%02x after negotiating OpenFlow 1.3",
              MessageType.nameOf(m.type()), m.version()));
      return;
    }
    if (state != State.READY) {
      unhandled(m.unknown("received before the handshake finished"));
      return;
    }
    MessageType type = MessageType.fromCode(m.type());
    if (type == null) {
      unhandled(m.unknown("unknown message type"));
      return;
    }
    switch (type) {
      case ERROR -> onError(m);
      case PORT_STATUS -> onPortStatus(m);
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
        if (!requests.onReply(m)) {
          unhandled(m.unknown("no pending request for this reply"));
        }
      }
      default -> unhandled(m.unknown("not handled by the session"));
    }
  }

  private void onError(Inbound m) {
    OpenFlowError error = OpenFlowError.parse(m.frame());
    if (requests.onError(m, error)) {
      log.debug("{}: xid 0x{} failed: {}", name(), Integer.toHexString(m.xid()), error);
    } else {
      log.warn(
          "{}: error for no pending request: xid 0x{} {}",
          name(),
          Integer.toHexString(m.xid()),
          error);
      listener.asyncError(this, error);
    }
  }

  private void onPortStatus(Inbound m) {
    m.decode(this::unhandled)
        .ifPresent(
            loxi -> {
              PortStatus status = LoxiPorts.status((OFPortStatus) loxi);
              ports = ports.with(status);
              log.info(
                  "{}: port {} {} ({})",
                  name(),
                  status.reason(),
                  status.port().name(),
                  status.port().number());
              listener.portStatus(this, status);
            });
  }

  private void unhandled(UnknownMessage u) {
    log.info("{}: {}", name(), u);
    listener.unhandledMessage(this, u);
  }

  private void checkDeadlines() {
    if (state != State.CLOSED) {
      requests.expireOverdue();
    }
  }

  // ------------------------------------------------------------------------------------------
  // Closing

  private void close(String reason) {
    if (state == State.CLOSED) {
      return;
    }
    boolean wasReady = state == State.READY;
    state = State.CLOSED;
    closeReason = reason;
    if (ticking != null) {
      ticking.cancel(false);
    }
    if (wasReady) {
      log.info("{}: disconnected: {}", name(), reason);
    } else {
      log.warn("{}: connection closed during the handshake: {}", name(), reason);
    }
    requests.closed(reason);
    ready.completeExceptionally(
        new SwitchDisconnectedException(name(), "handshake", String.valueOf(closeReason)));
    closed.complete(reason);
    channel.close();
    if (wasReady) {
      listener.switchDisconnected(this, reason);
    }
  }

  // ------------------------------------------------------------------------------------------
  // Event loop

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
            f.completeExceptionally(
                new SwitchDisconnectedException(name(), "request", String.valueOf(closeReason)));
          } else {
            f.completeExceptionally(
                new IllegalStateException(name() + ": handshake not finished (" + state + ")"));
          }
        });
  }
}
