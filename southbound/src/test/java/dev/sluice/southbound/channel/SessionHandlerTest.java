package dev.sluice.southbound.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.sluice.southbound.wire.BundleWire;
import dev.sluice.southbound.wire.MessageType;
import dev.sluice.southbound.wire.Multipart;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/**
 * The session handler of {@link SwitchSession} on its own: no frame decoder, keepalive or handshake
 * in front of it; the test fires {@link SessionEvent}s as those would.
 */
class SessionHandlerTest {
  private final RecordingListener listener = new RecordingListener();
  private final EmbeddedChannel channel = new EmbeddedChannel();
  private final SwitchSession session;

  SessionHandlerTest() {
    channel.freezeTime();
    session = new SwitchSession(channel, SessionConfig.defaults(), listener, new Xids());
    channel.pipeline().addLast(session.handler());
  }

  private void established() {
    channel
        .pipeline()
        .fireUserEventTriggered(
            new SessionEvent.Established(
                new SessionEvent.Features(FakeSwitch.DPID, 254),
                SwitchPorts.of(
                    List.of(
                        LoxiPorts.description(FakeSwitch.port(1, "antrea-tun0")),
                        LoxiPorts.description(FakeSwitch.port(2, "antrea-gw0"))))));
  }

  private void feed(byte[] m) {
    channel.writeInbound(Unpooled.wrappedBuffer(m));
  }

  private byte[] sent() {
    channel.runPendingTasks();
    ByteBuf b = channel.readOutbound();
    assertThat(b).as("a message from the session").isNotNull();
    try {
      return ByteBufUtil.getBytes(b);
    } finally {
      b.release();
    }
  }

  private static Throwable failure(CompletableFuture<?> f) {
    assertThat(f).isCompletedExceptionally();
    Throwable t = catchThrowable(f::join);
    return t instanceof CompletionException ? t.getCause() : t;
  }

  @Test
  void becomesReadyOnEstablishedWithTheSwitchsIdentityAndPorts() {
    assertThat(session.ready()).isNotDone();
    assertThat(failure(session.barrier()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("handshake not finished");

    established();

    assertThat(session.ready()).isCompletedWithValue(session);
    assertThat(listener.connected).containsExactly(session);
    assertThat(session.name()).isEqualTo("switch dpid=0000aabbccddeeff (embedded)");
    assertThat(session.tableCount()).isEqualTo(254);
    assertThat(session.ports().numbers()).containsOnlyKeys("antrea-tun0", "antrea-gw0");
  }

  @Test
  void theFeaturesEventNamesTheSwitchBeforeItIsReady() {
    assertThat(session.name()).isEqualTo("switch embedded");
    channel.pipeline().fireUserEventTriggered(new SessionEvent.Features(7, 10));
    assertThat(session.name()).isEqualTo("switch dpid=0000000000000007 (embedded)");
    assertThat(session.ready()).isNotDone();
  }

  @Test
  void repliesAreCorrelatedByXidWhateverTheirOrder() {
    established();
    CompletableFuture<byte[]> config =
        session.request(
            OutgoingMessage.ofLoxi(FakeSwitch.OF13.buildGetConfigRequest().build()),
            MessageType.GET_CONFIG_REPLY.code());
    CompletableFuture<Void> barrier = session.barrier();
    int configXid = FakeSwitch.xid(sent());
    int barrierXid = FakeSwitch.xid(sent());
    assertThat(configXid).isNotEqualTo(barrierXid);

    feed(FakeSwitch.barrierReply(barrierXid));
    assertThat(barrier).isCompleted();
    assertThat(config).isNotDone();
    byte[] reply =
        FakeSwitch.bytes(
            FakeSwitch.OF13
                .buildGetConfigReply()
                .setXid(configXid)
                .setFlags(java.util.Set.of())
                .setMissSendLen(128)
                .build());
    feed(reply);

    assertThat(config.join()).isEqualTo(reply);
    feed(FakeSwitch.barrierReply(barrierXid)); // already answered: reported, nothing fails
    assertThat(listener.unhandled)
        .singleElement()
        .satisfies(u -> assertThat(u.reason()).isEqualTo("no pending request for this reply"));
  }

  @Test
  void anErrorFailsOnlyTheRequestWithItsXid() {
    established();
    CompletableFuture<Void> first = session.send(RequestTest.flowMod("flow 1"));
    CompletableFuture<Void> second = session.send(RequestTest.flowMod("flow 2"));
    CompletableFuture<Void> third = session.send(RequestTest.flowMod("flow 3"));
    CompletableFuture<Void> barrier = session.barrier();
    sent();
    byte[] rejected = sent();
    sent();
    int barrierXid = FakeSwitch.xid(sent());

    feed(FakeSwitch.error(FakeSwitch.xid(rejected), 5, 1, rejected)); // TABLE_FULL
    feed(FakeSwitch.barrierReply(barrierXid));

    assertThat(failure(second))
        .isInstanceOfSatisfying(
            OpenFlowErrorException.class,
            e -> {
              assertThat(e.context()).isEqualTo("flow 2");
              assertThat(e.error().codeName()).isEqualTo("OFPFMFC_TABLE_FULL");
            });
    assertThat(first).isCompleted();
    assertThat(third).isCompleted();
    assertThat(barrier).isCompleted();
    assertThat(listener.asyncErrors).isEmpty();
  }

  @Test
  void multipartRepliesAreReassembledInOrderAndAnUnrelatedOneIsReported() {
    established();
    CompletableFuture<List<byte[]>> groups = session.multipart(Multipart.GROUP_DESC);
    int xid = FakeSwitch.xid(sent());

    feed(RequestTest.multipartReply(xid, Multipart.GROUP_DESC, true, new byte[] {1}));
    feed(RequestTest.multipartReply(xid + 1, Multipart.GROUP_DESC, false, new byte[] {9}));
    feed(RequestTest.multipartReply(xid, Multipart.GROUP_DESC, true, new byte[] {2, 2}));
    assertThat(groups).isNotDone();
    feed(RequestTest.multipartReply(xid, Multipart.GROUP_DESC, false, new byte[0]));

    assertThat(groups.join()).containsExactly(new byte[] {1}, new byte[] {2, 2}, new byte[0]);
    assertThat(listener.unhandled)
        .singleElement()
        .satisfies(u -> assertThat(u.xid()).isEqualTo(xid + 1));
  }

  @Test
  void aBundleIsCommittedThroughItsBundleOperation() {
    established();
    CompletableFuture<BundleResult> f =
        session.bundle(List.of(RequestTest.flowMod("flow 1"), RequestTest.flowMod("flow 2")));
    byte[] open = sent();
    ByteBuf o = Unpooled.wrappedBuffer(open);
    assertThat(BundleWire.readControl(o).type()).isEqualTo(BundleWire.ControlType.OPEN_REQUEST);
    int bundleId = BundleWire.readControl(o).bundleId();
    sent();
    sent();
    feed(FakeSwitch.barrierReply(FakeSwitch.xid(sent())));

    byte[] commit = sent();
    assertThat(BundleWire.readControl(Unpooled.wrappedBuffer(commit)).type())
        .isEqualTo(BundleWire.ControlType.COMMIT_REQUEST);
    int barrier = FakeSwitch.xid(sent());
    ByteBuf reply = Unpooled.buffer();
    BundleWire.writeControl(
        reply,
        FakeSwitch.xid(commit),
        bundleId,
        BundleWire.ControlType.COMMIT_REPLY,
        BundleWire.FLAG_ATOMIC | BundleWire.FLAG_ORDERED);
    feed(ByteBufUtil.getBytes(reply));
    assertThat(f).isNotDone();
    feed(FakeSwitch.barrierReply(barrier));

    assertThat(f.join().messages()).isEqualTo(2);
    assertThat(f.join().bundleId()).isEqualTo(bundleId);
    assertThat(listener.unhandled).isEmpty();
  }

  @Test
  void aDisconnectEventClosesWithItsReasonAndFailsWhatIsPending() {
    established();
    CompletableFuture<Void> barrier = session.barrier();

    channel.pipeline().fireUserEventTriggered(new SessionEvent.Disconnect("no echo reply"));

    assertThat(channel.isOpen()).isFalse();
    assertThat(session.closeFuture()).isCompletedWithValue("no echo reply");
    assertThat(listener.disconnected).containsExactly("no echo reply");
    assertThat(failure(barrier))
        .isInstanceOf(SwitchDisconnectedException.class)
        .hasMessageContaining("no echo reply");
  }

  @Test
  void aDisconnectDuringTheHandshakeFailsReadyAndDoesNotCallDisconnected() {
    channel.pipeline().fireUserEventTriggered(new SessionEvent.Disconnect("handshake timeout"));
    assertThat(failure(session.ready())).isInstanceOf(SwitchDisconnectedException.class);
    assertThat(session.closeFuture()).isCompletedWithValue("handshake timeout");
    assertThat(listener.disconnected).isEmpty();
  }

  @Test
  void whatTheHandshakeCouldNotDecodeIsReportedToTheListener() {
    UnknownMessage u = new UnknownMessage(4, 6, 9, new byte[8], "Loxi could not decode it");
    channel.writeInbound(u);
    assertThat(listener.unhandled).containsExactly(u);
    assertThat(channel.isOpen()).isTrue();
  }
}
