package dev.sluice.southbound.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.sluice.southbound.wire.BundleWire;
import dev.sluice.southbound.wire.MessageType;
import dev.sluice.southbound.wire.OpenFlowWire;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BundleTest {
  private static final int FLAGS = BundleWire.FLAG_ATOMIC | BundleWire.FLAG_ORDERED;

  private static List<OutgoingMessage> flows(int n) {
    List<OutgoingMessage> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(RequestTest.flowMod("table=0, priority=" + i + ", actions=drop"));
    }
    return out;
  }

  private static BundleWire.Control control(byte[] m) {
    ByteBuf b = Unpooled.wrappedBuffer(m);
    assertThat(BundleWire.isControl(b)).as("bundle control message").isTrue();
    assertThat(m).hasSize(24);
    return BundleWire.readControl(b);
  }

  private static byte[] controlReply(int xid, int bundleId, BundleWire.ControlType type) {
    ByteBuf b = Unpooled.buffer();
    BundleWire.writeControl(b, xid, bundleId, type, FLAGS);
    return ByteBufUtil.getBytes(b);
  }

  private static Throwable failure(CompletableFuture<?> f) {
    assertThat(f).isCompletedExceptionally();
    Throwable t = catchThrowable(f::join);
    return t instanceof CompletionException ? t.getCause() : t;
  }

  /** What the controller wrote for one bundle, up to the validation barrier. */
  private record Opened(byte[] open, List<byte[]> adds, byte[] barrier) {}

  private static Opened opened(FakeSwitch sw, int n) {
    byte[] open = sw.expect(MessageType.EXPERIMENTER);
    List<byte[]> adds = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      adds.add(sw.expect(MessageType.EXPERIMENTER));
    }
    return new Opened(open, adds, sw.expect(MessageType.BARRIER_REQUEST));
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 9, 2000})
  void aBundleIsOpenedAddedValidatedCommittedAndBarriered(int fragment) {
    FakeSwitch sw = new FakeSwitch(fragment);
    sw.handshake();
    CompletableFuture<BundleResult> f = sw.session.bundle(flows(3));

    Opened o = opened(sw, 3);
    BundleWire.Control open = control(o.open());
    assertThat(open.type()).isEqualTo(BundleWire.ControlType.OPEN_REQUEST);
    assertThat(open.flags()).isEqualTo(FLAGS);
    for (byte[] add : o.adds()) {
      ByteBuf a = Unpooled.wrappedBuffer(add);
      assertThat(a.getInt(8)).isEqualTo(OpenFlowWire.ONF_EXPERIMENTER);
      assertThat(a.getInt(12)).isEqualTo(BundleWire.EXP_TYPE_ADD);
      assertThat(a.getInt(16)).isEqualTo(open.bundleId());
      assertThat(a.getUnsignedShort(20)).isZero();
      assertThat(a.getUnsignedShort(22)).isEqualTo(FLAGS);
      assertThat(add).hasSize(24 + 16);
      assertThat((int) a.getUnsignedByte(25)).isEqualTo(MessageType.FLOW_MOD.code());
      assertThat(a.getInt(28)).as("inner xid = outer xid").isEqualTo(a.getInt(4));
    }
    sw.feed(
        controlReply(FakeSwitch.xid(o.open()), open.bundleId(), BundleWire.ControlType.OPEN_REPLY));
    sw.feed(FakeSwitch.barrierReply(FakeSwitch.xid(o.barrier())));
    assertThat(f).isNotDone();

    byte[] commit = sw.expect(MessageType.EXPERIMENTER);
    assertThat(control(commit).type()).isEqualTo(BundleWire.ControlType.COMMIT_REQUEST);
    assertThat(control(commit).bundleId()).isEqualTo(open.bundleId());
    byte[] barrier = sw.expect(MessageType.BARRIER_REQUEST);
    sw.feed(
        controlReply(FakeSwitch.xid(commit), open.bundleId(), BundleWire.ControlType.COMMIT_REPLY));
    assertThat(f).isNotDone();
    sw.feed(FakeSwitch.barrierReply(FakeSwitch.xid(barrier)));

    assertThat(f.join().messages()).isEqualTo(3);
    assertThat(f.join().bundleId()).isEqualTo(open.bundleId());
    assertThat(sw.listener.unhandled).isEmpty();
    assertThat(sw.listener.asyncErrors).isEmpty();
  }

  @Test
  void anAddRejectedWhenAddedDiscardsTheBundleAndNamesTheMessage() {
    FakeSwitch sw = new FakeSwitch(5);
    sw.handshake();
    CompletableFuture<BundleResult> f = sw.session.bundle(flows(3));
    Opened o = opened(sw, 3);
    int bundleId = control(o.open()).bundleId();
    byte[] badAdd = o.adds().get(1);

    // OVS: error with the add's xid (data = the bundle-add message), then the barrier reply.
    sw.feed(FakeSwitch.error(FakeSwitch.xid(badAdd), 3, 2, badAdd));
    sw.feed(FakeSwitch.barrierReply(FakeSwitch.xid(o.barrier())));

    Throwable t = failure(f);
    assertThat(t).isInstanceOf(BundleFailedException.class);
    BundleFailedException e = (BundleFailedException) t;
    assertThat(e.rejected())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.index()).isEqualTo(1);
              assertThat(r.error().context()).isEqualTo("table=0, priority=1, actions=drop");
              assertThat(r.error().error().codeName()).isEqualTo("OFPBIC_BAD_TABLE_ID");
            });
    assertThat(e.getCause()).isSameAs(e.rejected().get(0).error());
    assertThat(e.getMessage())
        .contains("bundle " + bundleId + " failed, nothing applied")
        .contains("message #1")
        .contains("priority=1");
    byte[] discard = sw.expect(MessageType.EXPERIMENTER);
    assertThat(control(discard).type()).isEqualTo(BundleWire.ControlType.DISCARD_REQUEST);
    assertThat(control(discard).bundleId()).isEqualTo(bundleId);
    assertThat(sw.sent()).as("no commit").isNull();
    sw.feed(controlReply(FakeSwitch.xid(discard), bundleId, BundleWire.ControlType.DISCARD_REPLY));
    assertThat(sw.listener.unhandled).isEmpty();
  }

  @Test
  void aMessageFailingAtCommitIsCorrelatedWithTheCommitError() {
    FakeSwitch sw = new FakeSwitch(1);
    sw.handshake();
    CompletableFuture<BundleResult> f = sw.session.bundle(flows(2));
    Opened o = opened(sw, 2);
    int bundleId = control(o.open()).bundleId();
    sw.feed(FakeSwitch.barrierReply(FakeSwitch.xid(o.barrier())));
    byte[] commit = sw.expect(MessageType.EXPERIMENTER);
    byte[] barrier = sw.expect(MessageType.BARRIER_REQUEST);
    byte[] badAdd = o.adds().get(0);

    sw.feed(FakeSwitch.error(FakeSwitch.xid(badAdd), 5, 1, badAdd)); // TABLE_FULL
    sw.feed(
        FakeSwitch.experimenterError(
            FakeSwitch.xid(commit), 2313, OpenFlowWire.ONF_EXPERIMENTER, commit));
    sw.feed(FakeSwitch.barrierReply(FakeSwitch.xid(barrier)));

    BundleFailedException e = (BundleFailedException) failure(f);
    assertThat(e.rejected())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.index()).isZero();
              assertThat(r.error().error().codeName()).isEqualTo("OFPFMFC_TABLE_FULL");
            });
    assertThat(e.bundleError().orElseThrow().error().isBundleMessageFailed()).isTrue();
    assertThat(e.getMessage()).contains("OFPBFC_MSG_FAILED").contains("priority=0");
    assertThat(e.bundleId()).isEqualTo(bundleId);
    assertThat(sw.listener.asyncErrors).isEmpty();
  }

  @Test
  void aDisconnectMidBundleFailsItAsNotCommitted() {
    FakeSwitch sw = new FakeSwitch(100);
    sw.handshake();
    CompletableFuture<BundleResult> f = sw.session.bundle(flows(2));
    opened(sw, 2);
    sw.channel.close();
    assertThat(failure(f))
        .isInstanceOf(SwitchDisconnectedException.class)
        .hasMessageContaining("not committed")
        .hasMessageContaining("keeps its tables");
  }

  @Test
  void aBundleWithoutAnswerTimesOutAndIsDiscarded() {
    FakeSwitch sw = new FakeSwitch(100);
    sw.handshake();
    CompletableFuture<BundleResult> f = sw.session.bundle(flows(1));
    opened(sw, 1);
    sw.advance(Duration.ofSeconds(31));
    assertThat(failure(f))
        .isInstanceOf(DeadlineExceededException.class)
        .hasMessageContaining("bundle");
    assertThat(sw.allSent())
        .filteredOn(m -> m[1] == MessageType.EXPERIMENTER.code())
        .singleElement()
        .satisfies(
            m -> assertThat(control(m).type()).isEqualTo(BundleWire.ControlType.DISCARD_REQUEST));
  }

  @Test
  void bundlesRespectTheWriteBufferWaterMarks() {
    SessionConfig tiny =
        SessionConfig.defaults().withTickInterval(Duration.ZERO).withWriteBuffer(64, 128);
    FakeSwitch sw = new FakeSwitch(100, tiny);
    sw.handshake();
    java.util.concurrent.atomic.AtomicInteger flushes =
        new java.util.concurrent.atomic.AtomicInteger();
    sw.channel
        .pipeline()
        .addFirst(
            new io.netty.channel.ChannelOutboundHandlerAdapter() {
              @Override
              public void flush(io.netty.channel.ChannelHandlerContext ctx) {
                flushes.incrementAndGet();
                ctx.flush();
              }
            });
    CompletableFuture<BundleResult> f = sw.session.bundle(flows(50));
    Opened o = opened(sw, 50);
    // 40-byte adds against a 128-byte high water mark: written in chunks of about 4.
    assertThat(flushes.get()).isGreaterThan(10);
    assertThat(o.adds()).hasSize(50);
    sw.feed(FakeSwitch.barrierReply(FakeSwitch.xid(o.barrier())));
    byte[] commit = sw.expect(MessageType.EXPERIMENTER);
    byte[] barrier = sw.expect(MessageType.BARRIER_REQUEST);
    sw.feed(
        controlReply(
            FakeSwitch.xid(commit),
            control(commit).bundleId(),
            BundleWire.ControlType.COMMIT_REPLY));
    sw.feed(FakeSwitch.barrierReply(FakeSwitch.xid(barrier)));
    assertThat(f.join().messages()).isEqualTo(50);
    assertThat(sw.session.whenWritable()).isCompleted();
  }

  @Test
  void anInnerMessageThatDoesNotEncodeAbortsTheBundle() {
    FakeSwitch sw = new FakeSwitch(100);
    sw.handshake();
    List<OutgoingMessage> messages = new ArrayList<>(flows(1));
    messages.add(OutgoingMessage.ofBytes(new byte[] {4, 14, 0, 7, 0, 0, 0, 0}, "broken flow"));
    Throwable t = failure(sw.session.bundle(messages));
    assertThat(t).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("broken flow");
  }
}
