package dev.sluice.southbound.channel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.southbound.wire.MessageType;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.projectfloodlight.openflow.protocol.OFHello;
import org.projectfloodlight.openflow.protocol.OFHelloElemVersionbitmap;
import org.projectfloodlight.openflow.protocol.OFPortReason;
import org.projectfloodlight.openflow.protocol.OFSetConfig;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.types.U32;

class HandshakeTest {
  @ParameterizedTest
  @ValueSource(ints = {1, 3, 13, 1500})
  void completesTheHandshakeWithDatapathIdAndPortsWhateverTheFragmentation(int fragment) {
    FakeSwitch sw = new FakeSwitch(fragment);

    sw.handshake();

    assertThat(sw.listener.connected).containsExactly(sw.session);
    assertThat(sw.session.datapathId()).isEqualTo(FakeSwitch.DPID);
    assertThat(sw.session.datapathIdString()).isEqualTo("0000aabbccddeeff");
    assertThat(sw.session.tableCount()).isEqualTo(254);
    assertThat(sw.session.ports().numbers())
        .containsEntry("antrea-tun0", 1L)
        .containsEntry("antrea-gw0", 2L)
        .containsEntry("frontend-a3ba2f", 6L)
        .containsEntry("br-int", 0xfffffffeL)
        .hasSize(4);
    assertThat(sw.session.ports().byNumber(2).orElseThrow().hardwareAddress())
        .isEqualTo("02:00:00:00:00:02");
    assertThat(sw.session.name()).contains("dpid=0000aabbccddeeff");
    assertThat(sw.channel.isOpen()).isTrue();
  }

  @Test
  void thePipelineIsFramesIdleEchoHandshakeSessionAndTheHandshakeLeavesWhenDone() {
    FakeSwitch sw = new FakeSwitch(100);
    assertThat(sw.channel.pipeline().names())
        .containsSubsequence(
            SwitchSession.FRAMES,
            SwitchSession.IDLE,
            SwitchSession.ECHO,
            SwitchSession.HANDSHAKE,
            SwitchSession.SESSION);

    sw.handshake();

    assertThat(sw.channel.pipeline().names())
        .containsSubsequence(
            SwitchSession.FRAMES, SwitchSession.IDLE, SwitchSession.ECHO, SwitchSession.SESSION)
        .doesNotContain(SwitchSession.HANDSHAKE);
  }

  @Test
  void offersOnlyOpenFlow13InItsHello() {
    FakeSwitch sw = new FakeSwitch(100);
    OFHello hello = (OFHello) FakeSwitch.parse(sw.expect(MessageType.HELLO));
    assertThat(hello.getVersion()).isEqualTo(OFVersion.OF_13);
    assertThat(((OFHelloElemVersionbitmap) hello.getElements().get(0)).getBitmaps())
        .containsExactly(U32.of(0x10));
  }

  @Test
  void setConfigCarriesMissSendLen() {
    FakeSwitch sw = new FakeSwitch(100);
    sw.expect(MessageType.HELLO);
    sw.feed(FakeSwitch.OF13.buildHello().build());
    byte[] features = sw.expect(MessageType.FEATURES_REQUEST);
    sw.feed(
        FakeSwitch.OF13
            .buildFeaturesReply()
            .setXid(FakeSwitch.xid(features))
            .setDatapathId(org.projectfloodlight.openflow.types.DatapathId.of(7))
            .setNTables((short) 10)
            .setCapabilities(Set.of())
            .build());
    byte[] portDesc = sw.expect(MessageType.MULTIPART_REQUEST);
    sw.feed(
        FakeSwitch.OF13
            .buildPortDescStatsReply()
            .setXid(FakeSwitch.xid(portDesc))
            .setEntries(List.of())
            .build());
    OFSetConfig setConfig = (OFSetConfig) FakeSwitch.parse(sw.expect(MessageType.SET_CONFIG));
    assertThat(setConfig.getMissSendLen()).isEqualTo(0xffff);
    assertThat(sw.listener.connected).isEmpty();
  }

  @Test
  void acceptsAHelloWithAHigherVersionWhoseBitmapIncludes13() {
    FakeSwitch sw = new FakeSwitch(1);
    sw.expect(MessageType.HELLO);
    // OVS with protocols=OpenFlow10,OpenFlow13,OpenFlow15: header version 6, bitmap 0x52.
    sw.feed(new byte[] {6, 0, 0, 16, 0, 0, 0, 5, 0, 1, 0, 8, 0, 0, 0, 0x52});
    sw.expect(MessageType.FEATURES_REQUEST);
    assertThat(sw.channel.isOpen()).isTrue();
  }

  @Test
  void rejectsASwitchWithout13WithHelloFailedAndCloses() {
    FakeSwitch sw = new FakeSwitch(1);
    sw.expect(MessageType.HELLO);
    sw.feed(new byte[] {1, 0, 0, 8, 0, 0, 0, 5}); // OpenFlow 1.0 hello, no bitmap

    byte[] error = sw.sent();
    ByteBuf e = Unpooled.wrappedBuffer(error);
    assertThat((int) e.getUnsignedByte(0)).isEqualTo(1); // in the switch's version
    assertThat((int) e.getUnsignedByte(1)).isEqualTo(MessageType.ERROR.code());
    assertThat(e.getUnsignedShort(8)).isZero(); // OFPET_HELLO_FAILED
    assertThat(e.getUnsignedShort(10)).isZero(); // OFPHFC_INCOMPATIBLE
    assertThat(new String(error, 12, error.length - 12, java.nio.charset.StandardCharsets.US_ASCII))
        .contains("only OpenFlow 1.3");
    assertThat(sw.channel.isOpen()).isFalse();
    assertThat(sw.session.closeFuture().join()).contains("version negotiation failed");
    assertThat(sw.session.ready()).isCompletedExceptionally();
    assertThat(sw.listener.disconnected).isEmpty();
  }

  @Test
  void rejectsABitmapWithout13() {
    FakeSwitch sw = new FakeSwitch(4);
    sw.expect(MessageType.HELLO);
    sw.feed(new byte[] {6, 0, 0, 16, 0, 0, 0, 5, 0, 1, 0, 8, 0, 0, 0, 0x42});
    assertThat(sw.expect(MessageType.ERROR)).isNotNull();
    assertThat(sw.channel.isOpen()).isFalse();
  }

  @Test
  void closesWhenTheHandshakeTimesOut() {
    FakeSwitch sw = new FakeSwitch(100);
    sw.expect(MessageType.HELLO);
    sw.feed(FakeSwitch.OF13.buildHello().build());
    sw.advance(Duration.ofSeconds(9));
    assertThat(sw.channel.isOpen()).isTrue();
    sw.advance(Duration.ofSeconds(1));
    assertThat(sw.channel.isOpen()).isFalse();
    assertThat(sw.session.closeFuture().join())
        .contains("handshake not finished")
        .contains("FEATURES_WAIT");
  }

  @Test
  void anErrorDuringTheHandshakeClosesWithItsName() {
    FakeSwitch sw = new FakeSwitch(100);
    sw.expect(MessageType.HELLO);
    sw.feed(FakeSwitch.OF13.buildHello().build());
    byte[] features = sw.expect(MessageType.FEATURES_REQUEST);
    sw.feed(FakeSwitch.error(FakeSwitch.xid(features), 1, 1, features));
    assertThat(sw.channel.isOpen()).isFalse();
    assertThat(sw.session.closeFuture().join()).contains("BAD_REQUEST/OFPBRC_BAD_TYPE");
  }

  @Test
  void aWrongVersionAfterNegotiationClosesTheConnection() {
    FakeSwitch sw = new FakeSwitch(1);
    sw.handshake();
    sw.feed(new byte[] {1, 2, 0, 8, 0, 0, 0, 9}); // OpenFlow 1.0 echo request
    assertThat(sw.channel.isOpen()).isFalse();
    assertThat(sw.listener.disconnected).singleElement().asString().contains("version 0x01");
  }

  @Test
  void aMalformedFrameClosesOnlyThatConnection() {
    FakeSwitch bad = new FakeSwitch(1);
    FakeSwitch good = new FakeSwitch(1);
    bad.handshake();
    good.handshake();

    bad.feed(new byte[] {4, 2, 0, 5, 0, 0, 0, 9});

    assertThat(bad.channel.isOpen()).isFalse();
    assertThat(bad.listener.disconnected)
        .singleElement()
        .asString()
        .contains("malformed OpenFlow stream")
        .contains("length 5");
    assertThat(good.channel.isOpen()).isTrue();
    assertThat(good.session.barrier()).isNotDone();
  }

  @Test
  void portStatusUpdatesThePortMapAndNotifies() {
    FakeSwitch sw = new FakeSwitch(2);
    sw.handshake();
    sw.feed(
        FakeSwitch.OF13
            .buildPortStatus()
            .setReason(OFPortReason.ADD)
            .setDesc(FakeSwitch.port(7, "backend1-bab86f"))
            .build());
    sw.feed(
        FakeSwitch.OF13
            .buildPortStatus()
            .setReason(OFPortReason.DELETE)
            .setDesc(FakeSwitch.port(6, "frontend-a3ba2f"))
            .build());
    assertThat(sw.session.ports().numbers())
        .containsEntry("backend1-bab86f", 7L)
        .doesNotContainKey("frontend-a3ba2f");
    assertThat(sw.listener.portStatus)
        .extracting(PortStatus::reason)
        .containsExactly(PortStatus.Reason.ADD, PortStatus.Reason.DELETE);
  }
}
