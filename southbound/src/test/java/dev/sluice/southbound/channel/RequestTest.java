package dev.sluice.southbound.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.sluice.southbound.wire.MessageType;
import dev.sluice.southbound.wire.Multipart;
import dev.sluice.southbound.wire.OpenFlowWire;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RequestTest {
  /** A minimal OF1.3 FLOW_MOD-shaped message: only the header matters to the session. */
  static OutgoingMessage flowMod(String context) {
    return OutgoingMessage.ofBytes(
        new byte[] {
          4, (byte) MessageType.FLOW_MOD.code(), 0, 16, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8
        },
        context);
  }

  static byte[] multipartReply(int xid, int type, boolean more, byte[] body) {
    ByteBuf b = Unpooled.buffer();
    int start = OpenFlowWire.writeHeader(b, MessageType.MULTIPART_REPLY.code(), xid);
    b.writeShort(type);
    b.writeShort(more ? Multipart.FLAG_MORE : 0);
    b.writeZero(4);
    b.writeBytes(body);
    OpenFlowWire.finishLength(b, start);
    return ByteBufUtil.getBytes(b);
  }

  private static Throwable failure(CompletableFuture<?> f) {
    assertThat(f).isCompletedExceptionally();
    Throwable t = catchThrowable(f::join);
    return t instanceof CompletionException ? t.getCause() : t;
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 5, 1000})
  void barrierCompletesOnItsReplyAndConfirmsEarlierSends(int fragment) {
    FakeSwitch sw = new FakeSwitch(fragment);
    sw.handshake();
    CompletableFuture<Void> flow = sw.session.send(flowMod("table=0, actions=drop"));
    CompletableFuture<Void> barrier = sw.session.barrier();
    sw.expect(MessageType.FLOW_MOD);
    byte[] request = sw.expect(MessageType.BARRIER_REQUEST);
    assertThat(flow).isNotDone();

    sw.feed(FakeSwitch.barrierReply(FakeSwitch.xid(request)));

    assertThat(barrier).isCompleted();
    assertThat(flow).isCompleted();
  }

  @Test
  void anErrorFailsTheRequestItAnswersNamingSwitchXidCodeAndContext() {
    FakeSwitch sw = new FakeSwitch(3);
    sw.handshake();
    CompletableFuture<Void> ok = sw.session.send(flowMod("table=0, priority=1, actions=drop"));
    CompletableFuture<Void> bad =
        sw.session.send(flowMod("table=10, priority=2, actions=goto_table:5"));
    sw.expect(MessageType.FLOW_MOD);
    byte[] second = sw.expect(MessageType.FLOW_MOD);

    sw.feed(FakeSwitch.error(FakeSwitch.xid(second), 3, 2, second));

    Throwable t = failure(bad);
    assertThat(t).isInstanceOf(OpenFlowErrorException.class);
    OpenFlowErrorException e = (OpenFlowErrorException) t;
    assertThat(e.xid()).isEqualTo(FakeSwitch.xid(second));
    assertThat(e.context()).isEqualTo("table=10, priority=2, actions=goto_table:5");
    assertThat(e.data()).isEqualTo(second);
    assertThat(e.getMessage())
        .contains("dpid=0000aabbccddeeff")
        .contains(String.format("0x%08x", FakeSwitch.xid(second)))
        .contains("BAD_INSTRUCTION/OFPBIC_BAD_TABLE_ID")
        .contains("goto_table:5");
    assertThat(ok).isNotDone();
    assertThat(sw.channel.isOpen()).isTrue();
  }

  @Test
  void anErrorForNoPendingRequestIsAnAsyncError() {
    FakeSwitch sw = new FakeSwitch(100);
    sw.handshake();
    sw.feed(FakeSwitch.error(0, 5, 1, new byte[0]));
    assertThat(sw.listener.asyncErrors).singleElement().asString().contains("OFPFMFC_TABLE_FULL");
  }

  @Test
  void xidsAreNeverZeroAndSkipXidsInFlightAcrossWrapAround() {
    FakeSwitch sw = new FakeSwitch(100);
    sw.handshake();
    sw.session.setLastXid(-3);
    sw.session.barrier(); // -2
    sw.session.barrier(); // -1
    sw.session.setLastXid(-3);
    sw.session.barrier(); // skips -2, -1 (in flight) and 0
    List<Integer> xids = sw.allSent().stream().map(FakeSwitch::xid).toList();
    assertThat(xids).containsExactly(-2, -1, 1);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 7, 4096})
  void multipartRepliesAreReassembledUntilTheLastWithoutReplyMore(int fragment) {
    FakeSwitch sw = new FakeSwitch(fragment);
    sw.handshake();
    CompletableFuture<List<byte[]>> f =
        sw.session.multipart(Multipart.FLOW, Multipart::writeAllFlowsRequest);
    byte[] request = sw.expect(MessageType.MULTIPART_REQUEST);
    ByteBuf r = Unpooled.wrappedBuffer(request);
    assertThat(r.getUnsignedShort(8)).isEqualTo(Multipart.FLOW);
    assertThat(request).hasSize(16 + 40);
    int xid = FakeSwitch.xid(request);

    sw.feed(multipartReply(xid, Multipart.FLOW, true, new byte[] {1, 2, 3}));
    sw.feed(FakeSwitch.bytes(FakeSwitch.OF13.buildEchoRequest().setXid(77).build())); // interleaved
    sw.feed(multipartReply(xid, Multipart.FLOW, true, new byte[5000]));
    assertThat(f).isNotDone();
    sw.feed(multipartReply(xid, Multipart.FLOW, false, new byte[] {9}));

    assertThat(f.join()).hasSize(3);
    assertThat(f.join().get(0)).containsExactly(1, 2, 3);
    assertThat(f.join().get(1)).hasSize(5000);
    assertThat(f.join().get(2)).containsExactly(9);
    assertThat(sw.allSent()).singleElement().satisfies(m -> assertThat(m[1]).isEqualTo((byte) 3));
  }

  @Test
  void aRequestWithoutReplyFailsWithDeadlineExceeded() {
    FakeSwitch sw = new FakeSwitch(100);
    sw.handshake();
    CompletableFuture<List<byte[]>> f = sw.session.multipart(Multipart.GROUP_DESC);
    sw.expect(MessageType.MULTIPART_REQUEST);
    sw.advance(Duration.ofSeconds(4));
    sw.feed(FakeSwitch.bytes(FakeSwitch.OF13.buildEchoReply().setXid(12345).build()));
    sw.advance(Duration.ofSeconds(26));
    Throwable t = failure(f);
    assertThat(t)
        .isInstanceOf(DeadlineExceededException.class)
        .hasMessageContaining("MULTIPART_REQUEST type 7")
        .hasMessageContaining("30000 ms");
    assertThat(sw.channel.isOpen()).isTrue();
  }

  @Test
  void answersEchoRequestsWithTheSameXidAndData() {
    FakeSwitch sw = new FakeSwitch(1);
    sw.handshake();
    sw.feed(FakeSwitch.OF13.buildEchoRequest().setXid(42).setData(new byte[] {7, 8}).build());
    byte[] reply = sw.expect(MessageType.ECHO_REPLY);
    assertThat(FakeSwitch.xid(reply)).isEqualTo(42);
    assertThat(reply).endsWith(7, 8);
  }

  @Test
  void probesAnIdleSwitchWithEchoAndClosesWhenItDoesNotAnswer() {
    FakeSwitch sw = new FakeSwitch(100);
    sw.handshake();
    sw.advance(Duration.ofSeconds(4));
    assertThat(sw.sent()).isNull();
    sw.advance(Duration.ofSeconds(1));
    byte[] echo = sw.expect(MessageType.ECHO_REQUEST);
    sw.feed(
        FakeSwitch.bytes(FakeSwitch.OF13.buildEchoReply().setXid(FakeSwitch.xid(echo)).build()));
    sw.advance(Duration.ofSeconds(5));
    sw.expect(MessageType.ECHO_REQUEST); // idle again: another probe, no reply this time
    sw.advance(Duration.ofSeconds(9));
    assertThat(sw.channel.isOpen()).isTrue();
    sw.advance(Duration.ofSeconds(1));
    assertThat(sw.channel.isOpen()).isFalse();
    assertThat(sw.listener.disconnected).singleElement().asString().contains("no echo reply");
  }

  @Test
  void echoMeasuresTheRoundTrip() {
    FakeSwitch sw = new FakeSwitch(100);
    sw.handshake();
    CompletableFuture<Duration> rtt = sw.session.echo();
    byte[] echo = sw.expect(MessageType.ECHO_REQUEST);
    sw.advance(Duration.ofMillis(3));
    sw.feed(
        FakeSwitch.bytes(FakeSwitch.OF13.buildEchoReply().setXid(FakeSwitch.xid(echo)).build()));
    assertThat(rtt.join()).isEqualTo(Duration.ofMillis(3));
  }

  @Test
  void anUnknownMessageTypeIsReportedAndTheChannelStaysOpen() {
    FakeSwitch sw = new FakeSwitch(1);
    sw.handshake();
    sw.feed(new byte[] {4, 99, 0, 10, 0, 0, 0, 5, 1, 2});
    assertThat(sw.listener.unhandled)
        .singleElement()
        .satisfies(
            u -> {
              assertThat(u.type()).isEqualTo(99);
              assertThat(u.xid()).isEqualTo(5);
              assertThat(u.bytes()).hasSize(10);
            });
    assertThat(sw.channel.isOpen()).isTrue();
  }

  @Test
  void anUndecodablePortStatusBecomesUnknownMessageAndTheChannelStaysOpen() {
    FakeSwitch sw = new FakeSwitch(1);
    sw.handshake();
    byte[] truncated = {4, 12, 0, 16, 0, 0, 0, 6, 9, 0, 0, 0, 0, 0, 0, 0}; // reason 9, no port
    sw.feed(truncated);
    assertThat(sw.listener.unhandled)
        .singleElement()
        .satisfies(u -> assertThat(u.reason()).contains("Loxi could not decode"));
    assertThat(sw.channel.isOpen()).isTrue();
    CompletableFuture<Void> barrier = sw.session.barrier();
    sw.feed(FakeSwitch.barrierReply(FakeSwitch.xid(sw.expect(MessageType.BARRIER_REQUEST))));
    assertThat(barrier).isCompleted();
  }

  @Test
  void packetInsGoToTheListenerRaw() {
    FakeSwitch sw = new FakeSwitch(100);
    sw.handshake();
    byte[] packetIn = {4, 10, 0, 12, 0, 0, 0, 0, 1, 2, 3, 4};
    sw.feed(packetIn);
    assertThat(sw.listener.packetIns).singleElement().isEqualTo(packetIn);
  }

  @Test
  void aBadlyEncodedMessageFailsItsFutureAndWritesNothing() {
    FakeSwitch sw = new FakeSwitch(100);
    sw.handshake();
    OutgoingMessage wrongLength =
        OutgoingMessage.ofBytes(new byte[] {4, 14, 0, 99, 0, 0, 0, 0}, "flow X");
    Throwable t = failure(sw.session.send(wrongLength));
    assertThat(t).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("flow X");
    assertThat(sw.sent()).isNull();
  }

  @Test
  void pendingRequestsFailWhenTheSwitchDisconnects() {
    FakeSwitch sw = new FakeSwitch(100);
    sw.handshake();
    CompletableFuture<Void> barrier = sw.session.barrier();
    sw.channel.close();
    assertThat(failure(barrier))
        .isInstanceOf(SwitchDisconnectedException.class)
        .hasMessageContaining("BARRIER_REQUEST");
    assertThat(sw.listener.disconnected).containsExactly("connection closed by the switch");
    assertThat(failure(sw.session.barrier())).isInstanceOf(SwitchDisconnectedException.class);
  }
}
