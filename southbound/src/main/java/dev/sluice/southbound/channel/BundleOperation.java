package dev.sluice.southbound.channel;

import dev.sluice.southbound.wire.BundleWire;
import dev.sluice.southbound.wire.MessageType;
import dev.sluice.southbound.wire.OpenFlowWire;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One ONF bundle on one connection, as OVN's ofctrl sends it: OPEN, one ADD per message, BARRIER;
 * then COMMIT + BARRIER if the switch accepted every ADD, else DISCARD. The wire sequence is the
 * {@link Phase} enum, and every transition happens in this class.
 *
 * <p>Each xid the bundle uses is a {@link Part} that the session registers as pending, so replies
 * and errors with that xid come back here ({@link #onMessage}, {@link #onError}). A rejected ADD is
 * reported with the add's xid and so correlated to the message (its index in the list); OVS would
 * still commit the others, which is why any rejection discards the whole bundle. Runs on the
 * channel's event loop only.
 */
final class BundleOperation {
  private static final Logger log = LoggerFactory.getLogger(BundleOperation.class);
  private static final int FLAGS = BundleWire.FLAG_ATOMIC | BundleWire.FLAG_ORDERED;

  /** Where the bundle is on the wire. */
  enum Phase {
    /** OPEN written; ADDs being written, in chunks while the channel is writable. */
    ADDING,
    /** Every ADD written and the BARRIER behind them; its reply says whether any was rejected. */
    VALIDATING,
    /** COMMIT and a BARRIER written; the COMMIT_REPLY and the barrier reply finish the bundle. */
    COMMITTING,
    /** The future is completed (committed, failed, discarded or disconnected). */
    DONE
  }

  /** What the operation needs from its session; every method runs on the event loop. */
  interface Link {
    String name();

    long nanoTime();

    Duration requestTimeout();

    ByteBufAllocator alloc();

    /** Registers a pending xid routed to {@code op} ({@code null}: fire and forget). */
    Part part(@Nullable BundleOperation op, String what, int index, long deadlineNanos);

    /** Drops {@code p} from the pending requests if it is still there. */
    void forget(Part p);

    /** Writes {@code out} (no flush) and stamps {@code p} with its send sequence. */
    void write(Part p, ByteBuf out);

    /** An encoded BARRIER_REQUEST with {@code xid}. */
    ByteBuf barrier(int xid);

    /** Throws if {@code message} did not encode well from {@code start} on. */
    void checkEncoding(ByteBuf out, int start, OutgoingMessage message, int xid, int maxLength);

    /** Completes every plain send written before {@code sequence} (a barrier was answered). */
    void confirmBefore(long sequence);

    boolean isWritable();

    void flush();

    /** Runs {@code resume} on the event loop when the channel is writable again. */
    void whenWritable(Runnable resume);

    boolean isClosed();
  }

  /** One xid of a bundle: control, add ({@code index >= 0}) or barrier. */
  static final class Part {
    final int xid;
    final String what;
    final int index;
    long sequence;

    Part(int xid, String what, int index) {
      this.xid = xid;
      this.what = what;
      this.index = index;
    }
  }

  private final Link link;
  private final int bundleId;
  private final List<OutgoingMessage> inner;
  private final CompletableFuture<BundleResult> future;
  private final long startNanos;
  private final long deadlineNanos;
  private final List<Part> parts = new ArrayList<>();
  private final List<BundleFailedException.Rejected> rejected = new ArrayList<>();
  private final Iterator<OutgoingMessage> toAdd;
  private Phase phase = Phase.ADDING;
  private int added;
  private @Nullable OpenFlowErrorException controlError;
  private @Nullable Part validateBarrier;
  private @Nullable Part commit;
  private @Nullable Part commitBarrier;
  private boolean commitReplied;

  BundleOperation(
      Link link, int bundleId, List<OutgoingMessage> inner, CompletableFuture<BundleResult> f) {
    this.link = link;
    this.bundleId = bundleId;
    this.inner = inner;
    this.future = f;
    this.toAdd = inner.iterator();
    this.startNanos = link.nanoTime();
    this.deadlineNanos = startNanos + link.requestTimeout().toNanos();
  }

  Phase phase() {
    return phase;
  }

  /** Writes OPEN and the first chunk of ADDs. */
  void start() {
    writeControl(part("bundle " + bundleId + " OPEN", -1), BundleWire.ControlType.OPEN_REQUEST);
    writeAdds();
  }

  /** Writes adds until done or the channel is not writable; then resumes when it is. */
  private void writeAdds() {
    if (phase != Phase.ADDING) {
      return;
    }
    while (toAdd.hasNext()) {
      if (!link.isWritable()) {
        link.flush();
        if (!link.isWritable()) {
          // On disconnect the session fails the bundle through disconnected(); nothing resumes.
          link.whenWritable(this::writeAdds);
          return;
        }
      }
      int index = added++;
      OutgoingMessage message = toAdd.next();
      Part add = part(String.valueOf(message.context()), index);
      ByteBuf out = link.alloc().buffer();
      try {
        int start = BundleWire.writeAddHeader(out, add.xid, bundleId, FLAGS);
        int innerStart = out.writerIndex();
        message.encode(out, add.xid);
        link.checkEncoding(out, innerStart, message, add.xid, BundleWire.MAX_INNER_LENGTH);
        OpenFlowWire.finishLength(out, start);
      } catch (RuntimeException e) {
        out.release();
        discard();
        complete(
            new IllegalArgumentException(
                link.name() + ": bundle " + bundleId + " message #" + index + ": " + e.getMessage(),
                e));
        return;
      }
      link.write(add, out);
    }
    validateBarrier = part("bundle " + bundleId + " BARRIER after adds", -1);
    link.write(validateBarrier, link.barrier(validateBarrier.xid));
    phase = Phase.VALIDATING;
    link.flush();
  }

  private Part part(String what, int index) {
    Part p = link.part(this, what, index, deadlineNanos);
    parts.add(p);
    return p;
  }

  private void writeControl(Part p, BundleWire.ControlType type) {
    ByteBuf out = link.alloc().buffer(24);
    BundleWire.writeControl(out, p.xid, bundleId, type, FLAGS);
    link.write(p, out);
  }

  /** A reply with one of this bundle's xids; false if it is not one the part expects. */
  boolean onMessage(Part p, Inbound m) {
    if (m.type() == MessageType.BARRIER_REPLY.code()) {
      link.confirmBefore(p.sequence);
      if (p == validateBarrier) {
        afterValidation();
      } else if (p == commitBarrier) {
        finish();
      }
      return true;
    }
    if (m.type() == MessageType.EXPERIMENTER.code() && BundleWire.isControl(m.frame())) {
      BundleWire.Control reply = BundleWire.readControl(m.frame());
      if (p == commit && reply.type() == BundleWire.ControlType.COMMIT_REPLY) {
        commitReplied = true;
      }
      return true;
    }
    return false;
  }

  /** An error with one of this bundle's xids. */
  void onError(Part p, OpenFlowError error) {
    OpenFlowErrorException e = new OpenFlowErrorException(link.name(), p.xid, error, p.what);
    if (p.index >= 0) {
      rejected.add(new BundleFailedException.Rejected(p.index, e));
    } else if (controlError == null) {
      controlError = e;
    }
    if (p == validateBarrier) {
      afterValidation();
    } else if (p == commitBarrier) {
      finish();
    }
  }

  private void afterValidation() {
    if (phase != Phase.VALIDATING) {
      return;
    }
    if (!rejected.isEmpty() || controlError != null) {
      discard();
      fail();
      return;
    }
    commit = part("bundle " + bundleId + " COMMIT", -1);
    writeControl(commit, BundleWire.ControlType.COMMIT_REQUEST);
    commitBarrier = part("bundle " + bundleId + " BARRIER after commit", -1);
    link.write(commitBarrier, link.barrier(commitBarrier.xid));
    phase = Phase.COMMITTING;
    link.flush();
  }

  private void finish() {
    if (phase != Phase.COMMITTING) {
      return;
    }
    if (!rejected.isEmpty() || controlError != null) {
      fail();
    } else if (!commitReplied) {
      complete(
          new IllegalStateException(
              link.name() + ": bundle " + bundleId + ": barrier answered but no COMMIT_REPLY"));
    } else {
      BundleResult result =
          new BundleResult(bundleId, inner.size(), Duration.ofNanos(link.nanoTime() - startNanos));
      cleanup();
      future.complete(result);
    }
  }

  private void fail() {
    complete(
        new BundleFailedException(
            link.name(), bundleId, rejected, Optional.ofNullable(controlError)));
  }

  /** Fails the bundle (also used by the session when a part cannot be written). */
  void complete(Throwable t) {
    if (phase == Phase.DONE) {
      return;
    }
    cleanup();
    future.completeExceptionally(t);
  }

  private void cleanup() {
    phase = Phase.DONE;
    for (Part p : parts) {
      link.forget(p);
    }
  }

  /** Tells the switch to drop the bundle (fire and forget: errors such as BAD_ID are fine). */
  private void discard() {
    if (link.isClosed()) {
      return;
    }
    Part d =
        link.part(
            null,
            "bundle " + bundleId + " DISCARD",
            -1,
            link.nanoTime() + link.requestTimeout().toNanos());
    ByteBuf out = link.alloc().buffer(24);
    BundleWire.writeControl(out, d.xid, bundleId, BundleWire.ControlType.DISCARD_REQUEST, FLAGS);
    link.write(d, out);
    link.flush();
  }

  /** A part's deadline passed: discard the bundle and fail it. */
  void expire(Part p) {
    if (phase == Phase.DONE) {
      return;
    }
    discard();
    complete(
        new DeadlineExceededException(
            link.name(),
            p.xid,
            "bundle " + bundleId + " (" + inner.size() + " messages, waiting for " + p.what + ")",
            link.requestTimeout()));
  }

  /** The connection closed; before the COMMIT was sent the switch keeps its tables. */
  void disconnected(String reason) {
    if (phase == Phase.DONE) {
      return;
    }
    String what =
        phase == Phase.COMMITTING
            ? "bundle " + bundleId + " (commit sent, outcome unknown)"
            : "bundle "
                + bundleId
                + " (not committed; the switch discards it and keeps its tables)";
    complete(new SwitchDisconnectedException(link.name(), what, reason));
  }

  /** A fire-and-forget part ({@link #discard()}) answered with an error. */
  static void discardAnswered(String name, Part p, OpenFlowError error) {
    log.debug("{}: {} answered {}", name, p.what, error);
  }
}
