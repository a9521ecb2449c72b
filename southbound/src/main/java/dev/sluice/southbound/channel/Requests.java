package dev.sluice.southbound.channel;

import dev.sluice.southbound.wire.MessageType;
import dev.sluice.southbound.wire.Multipart;
import dev.sluice.southbound.wire.OpenFlowWire;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.util.concurrent.Ticker;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFVersion;

/**
 * The requests in flight on one connection, keyed by xid: each is a {@link Pending} that knows
 * which reply it awaits, so every reply and every {@code OFPT_ERROR} is correlated to the request
 * that caused it and fails only that one.
 *
 * <ul>
 *   <li>{@link Reply}: one reply message of a known type (echo, any {@link SwitchSession#request}).
 *   <li>{@link Barrier}: its reply also confirms every {@link Unconfirmed} send written before it
 *       ({@link #confirmBefore}, by send sequence).
 *   <li>{@link Unconfirmed}: a message without a reply (FLOW_MOD, GROUP_MOD); an error fails it, a
 *       later barrier's reply proves it was accepted.
 *   <li>{@link MultipartCollector}: replies until one without {@code OFPMPF_REPLY_MORE}, each
 *       restarting the deadline.
 *   <li>{@link BundlePart}: one xid of a {@link BundleOperation}, routing its replies there.
 * </ul>
 *
 * <p>Every request has a deadline ({@link SessionConfig#requestTimeout()}) on the channel's ticker,
 * checked by {@link #expireOverdue()}. Event loop only.
 */
final class Requests {
  private static final OFFactory OF13 = OFFactories.getFactory(OFVersion.OF_13);

  private final Channel channel;
  private final Xids xids;
  private final Supplier<String> name;
  private final Ticker ticker;
  private final Duration requestTimeout;
  private final Map<Integer, Pending> pending = new HashMap<>();
  private final ArrayDeque<Pending> awaitingBarrier = new ArrayDeque<>();
  private final List<CompletableFuture<Void>> writabilityWaiters = new ArrayList<>();
  private final BundleLink bundleLink = new BundleLink();
  private long sendSequence;
  private int nextBundleId = 1;
  private @Nullable String closeReason;

  Requests(Channel channel, Xids xids, Supplier<String> name, Duration requestTimeout) {
    this.channel = channel;
    this.xids = xids;
    this.name = name;
    this.ticker = channel.eventLoop().ticker();
    this.requestTimeout = requestTimeout;
    xids.exclude(pending::containsKey);
  }

  // ------------------------------------------------------------------------------------------
  // Sending

  void barrier(CompletableFuture<Void> f) {
    if (register(new Barrier(xids.next(), f), barrierRequest())) {
      channel.flush();
    }
  }

  void echo(CompletableFuture<Duration> f) {
    long sent = ticker.nanoTime();
    Reply r =
        new Reply(
            xids.next(),
            "ECHO_REQUEST",
            MessageType.ECHO_REPLY.code(),
            m -> f.complete(Duration.ofNanos(ticker.nanoTime() - sent)),
            f);
    if (register(r, OutgoingMessage.ofLoxi(OF13.buildEchoRequest().build()))) {
      channel.flush();
    }
  }

  void send(OutgoingMessage message, CompletableFuture<Void> f) {
    Pending p = new Unconfirmed(xids.next(), message.context(), f);
    if (register(p, message)) {
      awaitingBarrier.add(p);
      channel.flush();
    }
  }

  void request(OutgoingMessage message, int replyType, CompletableFuture<byte[]> f) {
    Reply r =
        new Reply(
            xids.next(),
            String.valueOf(message.context()),
            replyType,
            m -> f.complete(m.bytes()),
            f);
    if (register(r, message)) {
      channel.flush();
    }
  }

  void multipart(int multipartType, Consumer<ByteBuf> body, CompletableFuture<List<byte[]>> f) {
    MultipartCollector c = new MultipartCollector(xids.next(), multipartType, f);
    if (register(c, multipartRequest(multipartType, body))) {
      channel.flush();
    }
  }

  void bundle(List<OutgoingMessage> inner, CompletableFuture<BundleResult> f) {
    if (inner.isEmpty()) {
      f.complete(new BundleResult(0, 0, Duration.ZERO));
      return;
    }
    new BundleOperation(bundleLink, nextBundleId++, inner, f).start();
  }

  /** Completes {@code f} when the channel is writable (at once if it is). */
  void whenWritable(CompletableFuture<Void> f) {
    if (closeReason != null) {
      f.completeExceptionally(disconnected("waiting for writability"));
    } else if (channel.isWritable()) {
      f.complete(null);
    } else {
      writabilityWaiters.add(f);
    }
  }

  void writabilityChanged() {
    if (channel.isWritable() && !writabilityWaiters.isEmpty()) {
      List<CompletableFuture<Void>> waiters = new ArrayList<>(writabilityWaiters);
      writabilityWaiters.clear();
      waiters.forEach(w -> w.complete(null));
    }
  }

  /**
   * Registers {@code p} and writes {@code message} with its xid (no flush). If encoding fails, the
   * request fails with the encoder's exception and nothing is written.
   */
  private boolean register(Pending p, OutgoingMessage message) {
    ByteBuf out;
    try {
      out = encode(channel.alloc(), message, p.xid);
    } catch (RuntimeException e) {
      p.fail(e);
      return false;
    }
    pending.put(p.xid, p);
    p.sequence = ++sendSequence;
    channel.write(out);
    return true;
  }

  /** {@code message} encoded with {@code xid}; throws if the encoding is wrong. */
  static ByteBuf encode(ByteBufAllocator alloc, OutgoingMessage message, int xid) {
    ByteBuf out = alloc.buffer();
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

  /** Throws if the message written from {@code start} on is not what {@code message} promised. */
  static void checkEncoding(
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

  // ------------------------------------------------------------------------------------------
  // Receiving

  /** A reply-type message; false if no pending request takes it. */
  boolean onReply(Inbound m) {
    Pending p = pending.get(m.xid());
    return p != null && p.onMessage(m);
  }

  /** An error; false if it answers no pending request (xid 0 or already completed). */
  boolean onError(Inbound m, OpenFlowError error) {
    Pending p = m.xid() == 0 ? null : pending.get(m.xid());
    if (p == null) {
      return false;
    }
    p.onError(error);
    return true;
  }

  /** Fails every request whose deadline has passed. */
  void expireOverdue() {
    long now = ticker.nanoTime();
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

  /** The connection closed: every request and writability waiter fails. */
  void closed(String reason) {
    closeReason = reason;
    List<Pending> all = new ArrayList<>(pending.values());
    pending.clear();
    awaitingBarrier.clear();
    for (Pending p : all) {
      p.disconnected(reason);
    }
    List<CompletableFuture<Void>> waiters = new ArrayList<>(writabilityWaiters);
    writabilityWaiters.clear();
    waiters.forEach(w -> w.completeExceptionally(disconnected("waiting for writability")));
  }

  /** For tests: the next xids start after {@code xid}. */
  void setLastXid(int xid) {
    xids.setLast(xid);
  }

  private SwitchDisconnectedException disconnected(String what) {
    return new SwitchDisconnectedException(name.get(), what, String.valueOf(closeReason));
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
      this.deadline = ticker.nanoTime() + requestTimeout.toNanos();
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
      fail(new DeadlineExceededException(name.get(), xid, what, requestTimeout));
    }

    void disconnected(String reason) {
      fail(new SwitchDisconnectedException(name.get(), what, reason));
    }

    OpenFlowErrorException errorException(OpenFlowError error, Object context) {
      return new OpenFlowErrorException(name.get(), xid, error, context);
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
      if (m.type() != replyType) {
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
      if (m.type() != MessageType.BARRIER_REPLY.code()) {
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
      if (m.type() != MessageType.MULTIPART_REPLY.code()) {
        return false;
      }
      if (m.multipartType() != multipartType) {
        pending.remove(xid);
        future.completeExceptionally(
            new IllegalStateException(
                name.get()
                    + ": multipart reply of type "
                    + m.multipartType()
                    + " to a request of type "
                    + multipartType));
        return true;
      }
      ByteBuf frame = m.frame();
      int bodyLength = frame.readableBytes() - Multipart.HEADER_LENGTH;
      bodies.add(
          ByteBufUtil.getBytes(
              frame, frame.readerIndex() + Multipart.HEADER_LENGTH, Math.max(0, bodyLength)));
      if ((m.multipartFlags() & Multipart.FLAG_MORE) != 0) {
        deadline = ticker.nanoTime() + requestTimeout.toNanos();
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

  /** What a {@link BundleOperation} sees of the connection. */
  private final class BundleLink implements BundleOperation.Link {
    @Override
    public String name() {
      return name.get();
    }

    @Override
    public long nanoTime() {
      return ticker.nanoTime();
    }

    @Override
    public Duration requestTimeout() {
      return requestTimeout;
    }

    @Override
    public ByteBufAllocator alloc() {
      return channel.alloc();
    }

    @Override
    public BundleOperation.Part part(
        @Nullable BundleOperation op, String what, int index, long deadlineNanos) {
      BundlePart p = new BundlePart(new BundleOperation.Part(xids.next(), what, index), op);
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
      return encode(channel.alloc(), barrierRequest(), xid);
    }

    @Override
    public void checkEncoding(
        ByteBuf out, int start, OutgoingMessage message, int xid, int maxLength) {
      Requests.checkEncoding(out, start, message, xid, maxLength);
    }

    @Override
    public void confirmBefore(long sequence) {
      Requests.this.confirmBefore(sequence);
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
      CompletableFuture<Void> f = new CompletableFuture<>();
      // Completed on the event loop (writabilityChanged), so resume runs there.
      f.thenRun(resume);
      Requests.this.whenWritable(f);
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
        BundleOperation.discardAnswered(name.get(), part, error);
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
