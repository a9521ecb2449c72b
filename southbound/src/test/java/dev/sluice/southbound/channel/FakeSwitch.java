package dev.sluice.southbound.channel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.southbound.wire.MessageType;
import dev.sluice.southbound.wire.OpenFlowWire;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFPortDesc;
import org.projectfloodlight.openflow.protocol.OFStatsReplyFlags;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.types.DatapathId;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.OFPort;

/**
 * The switch side of an {@link EmbeddedChannel} running a {@link SwitchSession}: feeds messages in
 * fragments of {@link #fragment} bytes and reads what the controller sent. The channel's time is
 * frozen and moves only with {@link #advance(Duration)}, which also runs the timers that fell due.
 */
final class FakeSwitch {
  static final OFFactory OF13 = OFFactories.getFactory(OFVersion.OF_13);
  static final long DPID = 0x0000_aabb_ccdd_eeffL;

  final EmbeddedChannel channel;
  final SwitchSession session;
  final RecordingListener listener = new RecordingListener();
  final int fragment;

  FakeSwitch(int fragment) {
    this(fragment, SessionConfig.defaults());
  }

  FakeSwitch(int fragment, SessionConfig config) {
    this.fragment = fragment;
    this.channel = new EmbeddedChannel();
    channel.freezeTime();
    channel
        .config()
        .setWriteBufferWaterMark(
            new io.netty.channel.WriteBufferWaterMark(
                config.writeBufferLow(), config.writeBufferHigh()));
    this.session = SwitchSession.attach(channel, config, listener);
  }

  /** Moves the channel's clock and runs every timer that is due by then. */
  void advance(Duration d) {
    channel.advanceTimeBy(d.toNanos(), TimeUnit.NANOSECONDS);
    channel.runScheduledPendingTasks();
  }

  /** Feeds raw bytes in fragments (stopping if the controller closed the connection). */
  void feed(byte[] bytes) {
    for (int i = 0; i < bytes.length && channel.isOpen(); i += fragment) {
      int n = Math.min(fragment, bytes.length - i);
      channel.writeInbound(Unpooled.wrappedBuffer(bytes, i, n));
    }
    channel.runPendingTasks();
  }

  void feed(OFMessage m) {
    feed(bytes(m));
  }

  static byte[] bytes(OFMessage m) {
    ByteBuf b = Unpooled.buffer();
    m.writeTo(b);
    return ByteBufUtil.getBytes(b);
  }

  /** The next message the controller wrote, as bytes, or null. */
  byte[] sent() {
    channel.runPendingTasks();
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

  /** All messages written so far. */
  List<byte[]> allSent() {
    List<byte[]> out = new ArrayList<>();
    for (byte[] m = sent(); m != null; m = sent()) {
      out.add(m);
    }
    return out;
  }

  /** The next message, which must be of {@code type}. */
  byte[] expect(MessageType type) {
    byte[] m = sent();
    assertThat(m).as("expected %s from the controller", type).isNotNull();
    assertThat(MessageType.nameOf(m[1] & 0xff)).isEqualTo(type.name());
    assertThat(Unpooled.wrappedBuffer(m).getUnsignedShort(2)).isEqualTo(m.length);
    return m;
  }

  static int xid(byte[] m) {
    return Unpooled.wrappedBuffer(m).getInt(OpenFlowWire.XID_OFFSET);
  }

  static OFMessage parse(byte[] m) {
    try {
      return OFFactories.getGenericReader().readFrom(Unpooled.wrappedBuffer(m));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static OFPortDesc port(int number, String name) {
    return OF13.buildPortDesc()
        .setPortNo(OFPort.of(number))
        .setName(name)
        .setHwAddr(MacAddress.of(0x0200_0000_0000L | number))
        .setConfig(Set.of())
        .setState(Set.of())
        .setCurr(Set.of())
        .setAdvertised(Set.of())
        .setSupported(Set.of())
        .setPeer(Set.of())
        .build();
  }

  /** Runs the whole handshake with two PORT_DESC parts. */
  void handshake() {
    expect(MessageType.HELLO);
    feed(OF13.buildHello().setXid(1).build());
    byte[] features = expect(MessageType.FEATURES_REQUEST);
    feed(
        OF13.buildFeaturesReply()
            .setXid(xid(features))
            .setDatapathId(DatapathId.of(DPID))
            .setNBuffers(0)
            .setNTables((short) 254)
            .setCapabilities(Set.of())
            .build());
    byte[] portDesc = expect(MessageType.MULTIPART_REQUEST);
    feed(
        OF13.buildPortDescStatsReply()
            .setXid(xid(portDesc))
            .setFlags(Set.of(OFStatsReplyFlags.REPLY_MORE))
            .setEntries(List.of(port(1, "antrea-tun0"), port(2, "antrea-gw0")))
            .build());
    feed(
        OF13.buildPortDescStatsReply()
            .setXid(xid(portDesc))
            .setFlags(Set.of())
            .setEntries(List.of(port(6, "frontend-a3ba2f"), port(0xfffffffe, "br-int")))
            .build());
    expect(MessageType.SET_CONFIG);
    byte[] barrier = expect(MessageType.BARRIER_REQUEST);
    feed(OF13.buildBarrierReply().setXid(xid(barrier)).build());
    assertThat(session.ready()).isCompleted();
  }

  /** An OFPT_ERROR for {@code xid}. */
  static byte[] error(int xid, int type, int code, byte[] data) {
    ByteBuf b = Unpooled.buffer();
    int start = OpenFlowWire.writeHeader(b, MessageType.ERROR.code(), xid);
    b.writeShort(type);
    b.writeShort(code);
    b.writeBytes(data);
    OpenFlowWire.finishLength(b, start);
    return ByteBufUtil.getBytes(b);
  }

  /** An experimenter OFPT_ERROR as OVS sends ONF errors under OpenFlow 1.3. */
  static byte[] experimenterError(int xid, int expCode, int experimenter, byte[] data) {
    ByteBuf b = Unpooled.buffer();
    int start = OpenFlowWire.writeHeader(b, MessageType.ERROR.code(), xid);
    b.writeShort(0xffff);
    b.writeShort(expCode);
    b.writeInt(experimenter);
    b.writeBytes(data);
    OpenFlowWire.finishLength(b, start);
    return ByteBufUtil.getBytes(b);
  }

  static byte[] barrierReply(int xid) {
    return bytes(OF13.buildBarrierReply().setXid(xid).build());
  }
}
