package dev.sluice.southbound.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.sluice.southbound.wire.BundleWire;
import dev.sluice.southbound.wire.MessageType;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** {@link BundleOperation} on its own, against a fake {@link BundleOperation.Link}. */
class BundleOperationTest {
  private static final int FLAGS = BundleWire.FLAG_ATOMIC | BundleWire.FLAG_ORDERED;

  /** Records what the operation writes and which parts it registers. */
  private static final class FakeLink implements BundleOperation.Link {
    final List<byte[]> written = new ArrayList<>();
    final List<BundleOperation.Part> parts = new ArrayList<>();
    final List<BundleOperation.Part> forgotten = new ArrayList<>();
    int lastXid = 100;
    long sequence;
    long confirmedBefore = -1;
    boolean closed;

    @Override
    public String name() {
      return "switch test";
    }

    @Override
    public long nanoTime() {
      return 0;
    }

    @Override
    public Duration requestTimeout() {
      return Duration.ofSeconds(30);
    }

    @Override
    public ByteBufAllocator alloc() {
      return ByteBufAllocator.DEFAULT;
    }

    @Override
    public BundleOperation.Part part(
        @Nullable BundleOperation op, String what, int index, long deadlineNanos) {
      BundleOperation.Part p = new BundleOperation.Part(++lastXid, what, index);
      parts.add(p);
      return p;
    }

    @Override
    public void forget(BundleOperation.Part p) {
      forgotten.add(p);
    }

    @Override
    public void write(BundleOperation.Part p, ByteBuf out) {
      p.sequence = ++sequence;
      written.add(ByteBufUtil.getBytes(out));
      out.release();
    }

    @Override
    public ByteBuf barrier(int xid) {
      ByteBuf b = Unpooled.buffer();
      FakeSwitch.OF13.buildBarrierRequest().setXid(xid).build().writeTo(b);
      return b;
    }

    @Override
    public void checkEncoding(
        ByteBuf out, int start, OutgoingMessage message, int xid, int maxLength) {}

    @Override
    public void confirmBefore(long seq) {
      confirmedBefore = seq;
    }

    @Override
    public boolean isWritable() {
      return true;
    }

    @Override
    public void flush() {}

    @Override
    public void whenWritable(Runnable resume) {
      resume.run();
    }

    @Override
    public boolean isClosed() {
      return closed;
    }

    BundleOperation.Part part(String what) {
      return parts.stream().filter(p -> p.what.contains(what)).reduce((a, b) -> b).orElseThrow();
    }

    List<String> writtenKinds() {
      List<String> out = new ArrayList<>();
      for (byte[] m : written) {
        ByteBuf b = Unpooled.wrappedBuffer(m);
        if (BundleWire.isControl(b)) {
          out.add(BundleWire.readControl(b).type().name());
        } else if ((m[1] & 0xff) == MessageType.EXPERIMENTER.code()) {
          out.add("ADD");
        } else {
          out.add(MessageType.nameOf(m[1] & 0xff));
        }
      }
      return out;
    }
  }

  private static Inbound inbound(byte[] m) {
    ByteBuf b = Unpooled.wrappedBuffer(m);
    return new Inbound(m[0], m[1] & 0xff, b.getInt(4), b);
  }

  private static Inbound barrierReply(BundleOperation.Part p) {
    return inbound(FakeSwitch.barrierReply(p.xid));
  }

  private static Inbound commitReply(BundleOperation.Part p) {
    ByteBuf b = Unpooled.buffer();
    BundleWire.writeControl(b, p.xid, 1, BundleWire.ControlType.COMMIT_REPLY, FLAGS);
    return inbound(ByteBufUtil.getBytes(b));
  }

  private static List<OutgoingMessage> flows(int n) {
    List<OutgoingMessage> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(RequestTest.flowMod("flow " + i));
    }
    return out;
  }

  private static Throwable failure(CompletableFuture<?> f) {
    assertThat(f).isCompletedExceptionally();
    Throwable t = catchThrowable(f::join);
    return t instanceof CompletionException ? t.getCause() : t;
  }

  @Test
  void goesThroughAddingValidatingCommittingDone() {
    FakeLink link = new FakeLink();
    CompletableFuture<BundleResult> f = new CompletableFuture<>();
    BundleOperation op = new BundleOperation(link, 1, flows(2), f);

    op.start();
    assertThat(op.phase()).isEqualTo(BundleOperation.Phase.VALIDATING);
    assertThat(link.writtenKinds())
        .containsExactly("OPEN_REQUEST", "ADD", "ADD", "BARRIER_REQUEST");

    BundleOperation.Part validate = link.part("BARRIER after adds");
    assertThat(op.onMessage(validate, barrierReply(validate))).isTrue();
    assertThat(link.confirmedBefore).isEqualTo(validate.sequence);
    assertThat(op.phase()).isEqualTo(BundleOperation.Phase.COMMITTING);
    assertThat(link.writtenKinds().subList(4, 6))
        .containsExactly("COMMIT_REQUEST", "BARRIER_REQUEST");

    op.onMessage(link.part("COMMIT"), commitReply(link.part("COMMIT")));
    BundleOperation.Part commitBarrier = link.part("BARRIER after commit");
    op.onMessage(commitBarrier, barrierReply(commitBarrier));

    assertThat(op.phase()).isEqualTo(BundleOperation.Phase.DONE);
    assertThat(f.join().messages()).isEqualTo(2);
    assertThat(link.forgotten).containsExactlyElementsOf(link.parts);
  }

  @Test
  void aRejectedAddIsCorrelatedToItsMessageAndTheBundleIsDiscarded() {
    FakeLink link = new FakeLink();
    CompletableFuture<BundleResult> f = new CompletableFuture<>();
    BundleOperation op = new BundleOperation(link, 1, flows(3), f);
    op.start();

    BundleOperation.Part second = link.part("flow 1");
    op.onError(
        second,
        OpenFlowError.parse(
            Unpooled.wrappedBuffer(FakeSwitch.error(second.xid, 5, 1, new byte[0]))));
    BundleOperation.Part validate = link.part("BARRIER after adds");
    op.onMessage(validate, barrierReply(validate));

    assertThat(op.phase()).isEqualTo(BundleOperation.Phase.DONE);
    assertThat(link.writtenKinds()).endsWith("BARRIER_REQUEST", "DISCARD_REQUEST");
    assertThat(link.writtenKinds()).doesNotContain("COMMIT_REQUEST");
    BundleFailedException e = (BundleFailedException) failure(f);
    assertThat(e.rejected()).singleElement().satisfies(r -> assertThat(r.index()).isEqualTo(1));
  }

  @Test
  void aDisconnectBeforeTheCommitSaysTheSwitchKeepsItsTables() {
    FakeLink link = new FakeLink();
    CompletableFuture<BundleResult> f = new CompletableFuture<>();
    BundleOperation op = new BundleOperation(link, 1, flows(1), f);
    op.start();
    op.disconnected("connection closed by the switch");
    assertThat(op.phase()).isEqualTo(BundleOperation.Phase.DONE);
    assertThat(failure(f)).hasMessageContaining("not committed").hasMessageContaining("keeps");
  }

  @Test
  void aDisconnectAfterTheCommitSaysTheOutcomeIsUnknown() {
    FakeLink link = new FakeLink();
    CompletableFuture<BundleResult> f = new CompletableFuture<>();
    BundleOperation op = new BundleOperation(link, 1, flows(1), f);
    op.start();
    BundleOperation.Part validate = link.part("BARRIER after adds");
    op.onMessage(validate, barrierReply(validate));
    op.disconnected("connection closed by the switch");
    assertThat(failure(f)).hasMessageContaining("outcome unknown");
  }
}
