package dev.sluice.southbound.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OpenFlowFrameDecoderTest {
  private static byte[] message(int type, int xid, int bodyLength) {
    ByteBuf b = Unpooled.buffer();
    int start = OpenFlowWire.writeHeader(b, type, xid);
    for (int i = 0; i < bodyLength; i++) {
      b.writeByte(i);
    }
    OpenFlowWire.finishLength(b, start);
    return ByteBufUtil.getBytes(b);
  }

  private static List<Object> feed(EmbeddedChannel ch, byte[] stream, int fragment) {
    for (int i = 0; i < stream.length; i += fragment) {
      ch.writeInbound(Unpooled.wrappedBuffer(stream, i, Math.min(fragment, stream.length - i)));
    }
    List<Object> out = new ArrayList<>();
    for (Object o = ch.readInbound(); o != null; o = ch.readInbound()) {
      out.add(o);
    }
    return out;
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 7, 8, 9, 100, 100_000})
  void splitsAStreamIntoWholeMessagesWhateverTheFragmentation(int fragment) {
    byte[] a = message(2, 1, 0);
    byte[] b = message(19, 2, 1000);
    byte[] c = message(4, 3, 65535 - 8);
    ByteBuf stream = Unpooled.buffer().writeBytes(a).writeBytes(b).writeBytes(c);
    EmbeddedChannel ch = new EmbeddedChannel(new OpenFlowFrameDecoder());

    List<Object> frames = feed(ch, ByteBufUtil.getBytes(stream), fragment);

    assertThat(frames).hasSize(3);
    assertThat(frames).map(f -> ByteBufUtil.getBytes((ByteBuf) f)).containsExactly(a, b, c);
    frames.forEach(f -> ((ByteBuf) f).release());
    assertThat(ch.finish()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 4, 7})
  void aLengthShorterThanTheHeaderBecomesOneMalformedFrameAndTheRestIsDropped(int length) {
    byte[] good = message(2, 1, 4);
    byte[] bad = {4, 0, 0, (byte) length, 0, 0, 0, 9};
    ByteBuf stream =
        Unpooled.buffer().writeBytes(good).writeBytes(bad).writeBytes(message(2, 2, 0));
    EmbeddedChannel ch = new EmbeddedChannel(new OpenFlowFrameDecoder());

    List<Object> out = feed(ch, ByteBufUtil.getBytes(stream), 1);

    assertThat(out).hasSize(2);
    assertThat(ByteBufUtil.getBytes((ByteBuf) out.get(0))).isEqualTo(good);
    ((ByteBuf) out.get(0)).release();
    assertThat(out.get(1)).isInstanceOf(MalformedFrame.class);
    assertThat(((MalformedFrame) out.get(1)).reason())
        .isEqualTo(
            "message length "
                + length
                + " is shorter than the 8-byte OpenFlow header (version 0x04, type 0)");
    assertThat(feed(ch, message(2, 3, 0), 100)).isEmpty();
  }

  @org.junit.jupiter.api.Test
  void severalMessagesInOneBufferComeOutOneByOne() {
    byte[] a = message(0, 1, 8);
    byte[] b = message(2, 2, 0);
    byte[] c = message(21, 3, 3);
    EmbeddedChannel ch = new EmbeddedChannel(new OpenFlowFrameDecoder());

    ch.writeInbound(Unpooled.buffer().writeBytes(a).writeBytes(b).writeBytes(c));

    for (byte[] expected : List.of(a, b, c)) {
      ByteBuf frame = ch.readInbound();
      assertThat(ByteBufUtil.getBytes(frame)).isEqualTo(expected);
      frame.release();
    }
    Object rest = ch.readInbound();
    assertThat(rest).isNull();
    assertThat(ch.finish()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 5, 1000})
  void aMessageLongerThanTheLimitBecomesOneMalformedFrameAndTheRestIsDropped(int fragment) {
    byte[] good = message(2, 1, 56);
    byte[] tooLong = message(19, 2, 57);
    ByteBuf stream =
        Unpooled.buffer().writeBytes(good).writeBytes(tooLong).writeBytes(message(2, 3, 0));
    EmbeddedChannel ch = new EmbeddedChannel(new OpenFlowFrameDecoder(64));

    List<Object> out = feed(ch, ByteBufUtil.getBytes(stream), fragment);

    assertThat(out).hasSize(2);
    assertThat(ByteBufUtil.getBytes((ByteBuf) out.get(0))).isEqualTo(good);
    ((ByteBuf) out.get(0)).release();
    assertThat(((MalformedFrame) out.get(1)).reason())
        .isEqualTo("message length 65 exceeds the limit of 64 bytes (version 0x04, type 19)");
    assertThat(feed(ch, message(2, 4, 0), 100)).isEmpty();
  }

  @org.junit.jupiter.api.Test
  void theLimitMustFitBetweenTheHeaderAndTheLengthField() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new OpenFlowFrameDecoder(7))
        .isInstanceOf(IllegalArgumentException.class);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new OpenFlowFrameDecoder(65536))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @org.junit.jupiter.api.Test
  void errorCodesHaveNames() {
    assertThat(ErrorCodes.typeName(3)).isEqualTo("BAD_INSTRUCTION");
    assertThat(ErrorCodes.codeName(3, 2, -1)).isEqualTo("OFPBIC_BAD_TABLE_ID");
    assertThat(ErrorCodes.codeName(0xffff, 2313, OpenFlowWire.ONF_EXPERIMENTER))
        .isEqualTo("OFPBFC_MSG_FAILED");
    assertThat(ErrorCodes.codeName(1, 99, -1)).isEqualTo("CODE_99");
    assertThat(ErrorCodes.typeName(42)).isEqualTo("TYPE_42");
  }
}
