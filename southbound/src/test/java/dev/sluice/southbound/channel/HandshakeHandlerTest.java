package dev.sluice.southbound.channel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.southbound.wire.MessageType;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.projectfloodlight.openflow.protocol.OFHello;
import org.projectfloodlight.openflow.protocol.OFHelloElemVersionbitmap;
import org.projectfloodlight.openflow.protocol.OFHelloFailedCode;
import org.projectfloodlight.openflow.protocol.OFPortReason;
import org.projectfloodlight.openflow.protocol.OFSetConfig;
import org.projectfloodlight.openflow.protocol.OFStatsReplyFlags;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.errormsg.OFHelloFailedErrorMsg;
import org.projectfloodlight.openflow.types.DatapathId;
import org.projectfloodlight.openflow.types.U32;

/** {@link HandshakeHandler} on its own, in front of a {@link Recorder} standing for the session. */
class HandshakeHandlerTest {
  private final Recorder session = new Recorder();
  private final EmbeddedChannel channel = new EmbeddedChannel();

  HandshakeHandlerTest() {
    channel.freezeTime();
    channel
        .pipeline()
        .addLast(
            new HandshakeHandler(SessionConfig.defaults(), new Xids(), () -> "switch test"),
            session);
  }

  private void feed(byte[] m) {
    channel.writeInbound(Unpooled.wrappedBuffer(m));
  }

  private byte[] expect(MessageType type) {
    ByteBuf b = channel.readOutbound();
    assertThat(b).as("expected %s", type).isNotNull();
    try {
      byte[] m = ByteBufUtil.getBytes(b);
      assertThat(MessageType.nameOf(m[1] & 0xff)).isEqualTo(type.name());
      return m;
    } finally {
      b.release();
    }
  }

  private SessionEvent.Disconnect disconnect() {
    assertThat(channel.isOpen()).isFalse();
    return session.events(SessionEvent.Disconnect.class).get(0);
  }

  /** Up to FEATURES_REQUEST; returns its xid. */
  private int helloExchanged() {
    expect(MessageType.HELLO);
    feed(FakeSwitch.bytes(FakeSwitch.OF13.buildHello().setXid(1).build()));
    return FakeSwitch.xid(expect(MessageType.FEATURES_REQUEST));
  }

  /** Up to the BARRIER after SET_CONFIG; returns the barrier's xid. */
  private int configSent() {
    int features = helloExchanged();
    feed(
        FakeSwitch.bytes(
            FakeSwitch.OF13
                .buildFeaturesReply()
                .setXid(features)
                .setDatapathId(DatapathId.of(FakeSwitch.DPID))
                .setNTables((short) 254)
                .setCapabilities(Set.of())
                .build()));
    int portDesc = FakeSwitch.xid(expect(MessageType.MULTIPART_REQUEST));
    feed(
        FakeSwitch.bytes(
            FakeSwitch.OF13
                .buildPortDescStatsReply()
                .setXid(portDesc)
                .setFlags(Set.of(OFStatsReplyFlags.REPLY_MORE))
                .setEntries(List.of(FakeSwitch.port(1, "antrea-tun0")))
                .build()));
    feed(
        FakeSwitch.bytes(
            FakeSwitch.OF13
                .buildPortDescStatsReply()
                .setXid(portDesc)
                .setEntries(List.of(FakeSwitch.port(2, "antrea-gw0")))
                .build()));
    OFSetConfig setConfig = (OFSetConfig) FakeSwitch.parse(expect(MessageType.SET_CONFIG));
    assertThat(setConfig.getMissSendLen()).isEqualTo(0xffff);
    return FakeSwitch.xid(expect(MessageType.BARRIER_REQUEST));
  }

  @Test
  void sendsAHelloWhoseVersionBitmapOffersOnly13() {
    OFHello hello = (OFHello) FakeSwitch.parse(expect(MessageType.HELLO));
    assertThat(hello.getVersion()).isEqualTo(OFVersion.OF_13);
    assertThat(((OFHelloElemVersionbitmap) hello.getElements().get(0)).getBitmaps())
        .containsExactly(U32.of(0x10));
  }

  @Test
  void onTheLastBarrierReplyItFiresEstablishedAndRemovesItself() {
    int barrier = configSent();
    assertThat(session.events(SessionEvent.Features.class))
        .containsExactly(new SessionEvent.Features(FakeSwitch.DPID, 254));
    assertThat(session.events(SessionEvent.Established.class)).isEmpty();

    feed(FakeSwitch.barrierReply(barrier));

    SessionEvent.Established e = session.events(SessionEvent.Established.class).get(0);
    assertThat(e.features().datapathId()).isEqualTo(FakeSwitch.DPID);
    assertThat(e.ports().numbers())
        .containsEntry("antrea-tun0", 1L)
        .containsEntry("antrea-gw0", 2L)
        .hasSize(2);
    assertThat(channel.pipeline().get(HandshakeHandler.class)).isNull();
    assertThat(session.frames).isEmpty();

    byte[] packetIn = {4, 10, 0, 12, 0, 0, 0, 0, 1, 2, 3, 4};
    feed(packetIn);
    assertThat(session.frames).as("later messages go straight on").containsExactly(packetIn);
    assertThat(channel.isOpen()).isTrue();
  }

  @Test
  void aPortStatusDuringTheHandshakeIsInTheHandedOverPorts() {
    int barrier = configSent();
    feed(
        FakeSwitch.bytes(
            FakeSwitch.OF13
                .buildPortStatus()
                .setReason(OFPortReason.ADD)
                .setDesc(FakeSwitch.port(7, "backend1-bab86f"))
                .build()));
    feed(FakeSwitch.barrierReply(barrier));
    assertThat(session.events(SessionEvent.Established.class).get(0).ports().numbers())
        .containsEntry("backend1-bab86f", 7L)
        .hasSize(3);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        // header version | type | length | xid | elements
        "04 00 0008 00000005", // 1.3, no bitmap
        "06 00 0008 00000005", // 1.5, no bitmap: the lower version, 1.3, is agreed
        "06 00 0010 00000005 0001 0008 00000052", // OVS OpenFlow10,13,15
        "04 00 0018 00000005 7777 0008 00000000 0001 0008 00000010", // unknown element first
        "07 00 0010 00000005 0001 0008 00000090", // a version Loxi does not know, bitmap 4 and 7
      })
  void agreesOn13WhenTheSwitchOffersIt(String hello) {
    expect(MessageType.HELLO);
    feed(ByteBufUtil.decodeHexDump(hello.replace(" ", "")));
    expect(MessageType.FEATURES_REQUEST);
    assertThat(channel.isOpen()).isTrue();
    assertThat(session.events).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "01 00 0008 00000005", // 1.0
        "03 00 0008 00000005", // 1.2
        "06 00 0010 00000005 0001 0008 00000042", // bitmap 1.0 and 1.5
        "07 00 0010 00000005 0001 0008 00000080", // only a version Loxi does not know
      })
  void answersHelloFailedInTheSwitchsVersionWhenThereIsNoCommonVersion(String hello) {
    expect(MessageType.HELLO);
    byte[] m = ByteBufUtil.decodeHexDump(hello.replace(" ", ""));
    feed(m);

    byte[] error = expect(MessageType.ERROR);
    assertThat(error[0]).as("in the switch's version").isEqualTo(m[0]);
    assertThat(FakeSwitch.xid(error)).isEqualTo(5);
    ByteBuf e = Unpooled.wrappedBuffer(error);
    assertThat(e.getUnsignedShort(8)).isZero(); // OFPET_HELLO_FAILED
    assertThat(e.getUnsignedShort(10)).isZero(); // OFPHFC_INCOMPATIBLE
    String text = new String(error, 12, error.length - 12, StandardCharsets.US_ASCII);
    assertThat(text).startsWith("Sluice speaks only OpenFlow 1.3 (0x04); switch offered version");
    assertThat(disconnect().reason()).isEqualTo("version negotiation failed: " + text);
  }

  @Test
  void helloFailedParsesWithLoxi() {
    expect(MessageType.HELLO);
    feed(new byte[] {1, 0, 0, 8, 0, 0, 0, 5});
    OFHelloFailedErrorMsg error =
        (OFHelloFailedErrorMsg) FakeSwitch.parse(expect(MessageType.ERROR));
    assertThat(error.getVersion()).isEqualTo(OFVersion.OF_10);
    assertThat(error.getCode()).isEqualTo(OFHelloFailedCode.INCOMPATIBLE);
    assertThat(new String(error.getData().getData(), StandardCharsets.US_ASCII))
        .isEqualTo("Sluice speaks only OpenFlow 1.3 (0x04); switch offered version 0x01");
  }

  @Test
  void closesWhenTheHandshakeDoesNotFinishInTime() {
    helloExchanged();
    channel.advanceTimeBy(9999, TimeUnit.MILLISECONDS);
    channel.runScheduledPendingTasks();
    assertThat(channel.isOpen()).isTrue();

    channel.advanceTimeBy(1, TimeUnit.MILLISECONDS);
    channel.runScheduledPendingTasks();

    assertThat(disconnect().reason())
        .isEqualTo("handshake not finished within 10000 ms (stuck in FEATURES_WAIT)");
  }

  @Test
  void theTimeoutIsCancelledOnceEstablished() {
    feed(FakeSwitch.barrierReply(configSent()));
    channel.advanceTimeBy(Duration.ofMinutes(1).toNanos(), TimeUnit.NANOSECONDS);
    channel.runScheduledPendingTasks();
    assertThat(channel.isOpen()).isTrue();
    assertThat(session.events(SessionEvent.Disconnect.class)).isEmpty();
  }

  @Test
  void aMessageBeforeTheHelloCloses() {
    expect(MessageType.HELLO);
    feed(FakeSwitch.bytes(FakeSwitch.OF13.buildEchoRequest().setXid(3).build()));
    assertThat(disconnect().reason()).isEqualTo("expected HELLO first, got ECHO_REQUEST");
  }

  @Test
  void anErrorReplyClosesNamingTheStateAndTheError() {
    int features = helloExchanged();
    feed(FakeSwitch.error(features, 1, 1, new byte[0]));
    assertThat(disconnect().reason())
        .startsWith("switch rejected the handshake in state FEATURES_WAIT with ")
        .contains("BAD_REQUEST/OFPBRC_BAD_TYPE");
  }

  @Test
  void anotherVersionAfterTheHelloCloses() {
    helloExchanged();
    feed(new byte[] {1, 2, 0, 8, 0, 0, 0, 9});
    assertThat(disconnect().reason())
        .isEqualTo("message ECHO_REQUEST with version 0x01 after negotiating OpenFlow 1.3");
  }

  @Test
  void aFeaturesReplyLoxiCannotDecodeGoesOnAsUnknownMessageAndTheHandshakeWaits() {
    int features = helloExchanged();
    feed(new byte[] {4, 6, 0, 12, 0, 0, 0, (byte) features, 0, 0, 0, 1}); // truncated
    assertThat(session.messages)
        .singleElement()
        .isInstanceOfSatisfying(
            UnknownMessage.class, u -> assertThat(u.reason()).contains("Loxi could not decode"));
    assertThat(channel.isOpen()).isTrue();
    assertThat(channel.pipeline().get(HandshakeHandler.class)).isNotNull();
  }
}
