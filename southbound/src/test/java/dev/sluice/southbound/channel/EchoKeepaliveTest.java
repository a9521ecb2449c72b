package dev.sluice.southbound.channel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.southbound.wire.MessageType;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.protocol.OFEchoRequest;

/**
 * Netty's {@code IdleStateHandler} and {@link EchoKeepalive} on their own: echo interval 5 s, echo
 * timeout 10 s, time frozen and moved by the test.
 */
class EchoKeepaliveTest {
  private final Xids xids = new Xids();
  private final Recorder next = new Recorder();
  private final EmbeddedChannel channel = new EmbeddedChannel();

  EchoKeepaliveTest() {
    channel.freezeTime();
    channel
        .pipeline()
        .addLast(
            EchoKeepalive.idleHandler(Duration.ofSeconds(5)),
            new EchoKeepalive(Duration.ofSeconds(10), xids, () -> "switch test"),
            next);
  }

  private void advance(Duration d) {
    channel.advanceTimeBy(d.toNanos(), TimeUnit.NANOSECONDS);
    channel.runScheduledPendingTasks();
  }

  private void feed(byte[] m) {
    channel.writeInbound(Unpooled.wrappedBuffer(m));
  }

  private byte[] sent() {
    ByteBuf b = channel.readOutbound();
    if (b == null) {
      return null;
    }
    try {
      return ByteBufUtil.getBytes(b);
    } finally {
      b.release();
    }
  }

  private void hello() {
    feed(FakeSwitch.bytes(FakeSwitch.OF13.buildHello().setXid(1).build()));
    assertThat(next.frames).hasSize(1);
  }

  private static byte[] echoRequest(int xid, byte[] data) {
    return FakeSwitch.bytes(FakeSwitch.OF13.buildEchoRequest().setXid(xid).setData(data).build());
  }

  private static byte[] echoReply(int xid) {
    return FakeSwitch.bytes(FakeSwitch.OF13.buildEchoReply().setXid(xid).build());
  }

  @Test
  void answersEchoRequestsWithTheirXidAndDataOnceTheHelloHasPassed() {
    hello();
    feed(echoRequest(42, new byte[] {7, 8}));

    byte[] reply = sent();
    assertThat(reply[1]).isEqualTo((byte) MessageType.ECHO_REPLY.code());
    assertThat(FakeSwitch.xid(reply)).isEqualTo(42);
    assertThat(reply).endsWith(7, 8);
    assertThat(next.frames).hasSize(1); // only the HELLO went on
  }

  @Test
  void beforeTheHelloNothingIsAnsweredOrProbed() {
    feed(echoRequest(42, new byte[0]));
    assertThat(next.frames).singleElement().satisfies(m -> assertThat(m[1]).isEqualTo((byte) 2));

    advance(Duration.ofSeconds(60));

    assertThat(sent()).isNull(); // the first message was not a HELLO: the handshake rejects it
    assertThat(channel.isOpen()).isTrue();
  }

  @Test
  void sendsAnEchoRequestWhenTheSwitchHasBeenSilentForTheEchoInterval() {
    hello();
    advance(Duration.ofMillis(4999));
    assertThat(sent()).isNull();

    advance(Duration.ofMillis(1));

    byte[] probe = sent();
    assertThat(FakeSwitch.parse(probe)).isInstanceOf(OFEchoRequest.class);
    assertThat(FakeSwitch.xid(probe)).isNotZero();
    xids.setLast(FakeSwitch.xid(probe) - 1);
    assertThat(xids.next()).as("the probe's xid is not reused").isNotEqualTo(FakeSwitch.xid(probe));
  }

  @Test
  void theProbesReplyKeepsTheConnectionAliveAndGoesNoFurther() {
    hello();
    advance(Duration.ofSeconds(5));
    int probe = FakeSwitch.xid(sent());

    advance(Duration.ofSeconds(3));
    feed(echoReply(probe));
    advance(Duration.ofSeconds(4));
    assertThat(sent()).as("not idle yet").isNull();
    advance(Duration.ofSeconds(3)); // past the first probe's dead-peer time

    assertThat(channel.isOpen()).isTrue();
    assertThat(next.frames).as("the reply is consumed").hasSize(1);
    assertThat(next.events).isEmpty();
    assertThat(FakeSwitch.parse(sent()))
        .as("idle again: a new probe")
        .isInstanceOf(OFEchoRequest.class);
  }

  @Test
  void anyOtherMessageAlsoKeepsItAliveAndOtherEchoRepliesGoOn() {
    hello();
    advance(Duration.ofSeconds(5));
    int probe = FakeSwitch.xid(sent());

    advance(Duration.ofSeconds(9));
    feed(echoReply(probe + 1000)); // an echo the session sent, not the probe
    advance(Duration.ofSeconds(2));

    assertThat(channel.isOpen()).isTrue();
    assertThat(next.frames).hasSize(2);
    assertThat(FakeSwitch.xid(next.frames.get(1))).isEqualTo(probe + 1000);
  }

  @Test
  void closesADeadPeerThatSendsNothingWithinTheEchoTimeoutOfTheProbe() {
    hello();
    advance(Duration.ofSeconds(5));
    assertThat(sent()).isNotNull();

    advance(Duration.ofMillis(9999));
    assertThat(channel.isOpen()).isTrue();
    advance(Duration.ofMillis(1));

    assertThat(channel.isOpen()).isFalse();
    assertThat(next.events(SessionEvent.Disconnect.class))
        .singleElement()
        .satisfies(
            d ->
                assertThat(d.reason())
                    .isEqualTo("no echo reply within 10000 ms (nor any other message)"));
    assertThat(sent()).as("one probe only").isNull();
  }

  @Test
  void aMessageInAnotherVersionGoesOnForTheNextHandlerToReject() {
    hello();
    byte[] of10Echo = {1, 2, 0, 8, 0, 0, 0, 9};
    feed(of10Echo);
    assertThat(sent()).isNull();
    assertThat(next.frames.get(1)).isEqualTo(of10Echo);
  }
}
