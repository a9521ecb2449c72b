package dev.sluice.southbound.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.compiler.flow.Action;
import dev.sluice.compiler.flow.Flow;
import dev.sluice.compiler.flow.FlowText;
import dev.sluice.compiler.flow.Match;
import dev.sluice.compiler.flow.PortNames;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Bad input becomes a CodecException (or an Unknown value), never another exception. */
class RobustnessTest {

  /** table=1,priority=100,reg0=0x2/0xffff,actions=resubmit(,10) as ovs-ofctl would send it. */
  private static final String FLOW_MOD_WITH_REG =
      "040e005800000006000000000000000000000000000000000100000000000064ffffffffffffffffffffffff"
          + "00000000"
          + "0001001000010108000000020000ffff"
          + "0004001800000000ffff001000002320000efff80a000000";

  @Test
  void truncatedTlvIsACodecExceptionNamingTheOffset() {
    // Match length says 16 but the reg0 TLV claims 0x18 bytes of payload.
    String bad = FLOW_MOD_WITH_REG.replace("00010108000000020000", "00010118000000020000");
    assertThatThrownBy(() -> FlowModDecoder.decode(Golden.buf(bad)))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("offset 56")
        .hasMessageContaining("OXM payload");
  }

  @Test
  void badActionLengthIsACodecException() {
    String bad = FLOW_MOD_WITH_REG.replace("ffff001000002320000e", "ffff001100002320000e");
    assertThatThrownBy(() -> FlowModDecoder.decode(Golden.buf(bad)))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("multiple of 8");
  }

  @Test
  void messageLengthBeyondTheBufferIsACodecException() {
    String bad = "040e0090" + FLOW_MOD_WITH_REG.substring(8);
    assertThatThrownBy(() -> FlowModDecoder.decode(Golden.buf(bad)))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("offset 2");
  }

  @Test
  void unknownNiciraSubtypeAndExperimenterDecodeToUnknown() throws Exception {
    byte[] nx = HexFormat.of().parseHex("ffff0010000023200099000000000000");
    byte[] other = HexFormat.of().parseHex("ffff0010000012340001000000000000");
    ByteBuf b = Unpooled.wrappedBuffer(nx, other);
    List<Action> actions = ActionCodec.decode(b, 0, b.writerIndex());
    assertThat(actions).containsExactly(new Action.Unknown(nx), new Action.Unknown(other));
    // Unknown actions are written back byte for byte.
    ByteBuf out = Unpooled.buffer();
    ActionCodec.encode(out, actions, -1);
    assertThat(Golden.hex(out)).isEqualTo(Golden.hex(b));
  }

  @Test
  void modelRefusedValuesDecodeToUnknown() throws Exception {
    // resubmit to table 255 ("resubmit(6)") and a ct with an ALG: valid OVS, not in the model.
    byte[] resubmit = HexFormat.of().parseHex("ffff001000002320000e0006ff000000");
    byte[] ctAlg = HexFormat.of().parseHex("ffff00180000232000230001000000000000ff0000000015");
    ByteBuf b = Unpooled.wrappedBuffer(resubmit, ctAlg);
    assertThat(ActionCodec.decode(b, 0, b.writerIndex()))
        .containsExactly(new Action.Unknown(resubmit), new Action.Unknown(ctAlg));
  }

  @Test
  void unknownMatchFieldsAndInstructionsAreKeptInFlowStats() throws Exception {
    // One flow-stats entry (table 1, priority 100): match vlan_vid=0x100a (OXM 6) + reg0=7 +
    // ip_ecn=0 (OXM 9), one WRITE_ACTIONS(output:2) instruction.
    String body =
        "006001000000000a0000000a0064000000000000000000000000000000000000000000000000000000000000"
            + "0000000000010017"
            + "80000c02100a"
            + "0001000400000007"
            + "800012010000"
            + "000300180000000000000010000000020000000000000000";
    List<FlowEntry> entries = MultipartReplyDecoder.decodeFlowStatsBody(Golden.buf(body));
    assertThat(entries).hasSize(1);
    FlowEntry e = entries.get(0);
    assertThat(e.flow().table()).isEqualTo(1);
    assertThat(e.flow().match()).isEqualTo(Match.builder().reg(0, 7, 0xffffffffL).build());
    assertThat(e.unknownMatch()).hasSize(2);
    assertThat(e.unknownInstructions()).extracting(RawInstruction::type).containsExactly(3);
    assertThat(e.isExact()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(longs = {1L, 42L, 20261126L})
  void randomMutationsOfRealMessagesOnlyEverThrowCodecException(long seed) throws Exception {
    Random random = new Random(seed);
    List<byte[]> corpus = new ArrayList<>();
    for (String[] row : Golden.rows("golden/wire/flowmods.tsv")) {
      corpus.add(HexFormat.of().parseHex(row[1]));
    }
    for (String file : List.of("flowstats-worker1.hex", "groupmods.txt", "packetin.txt")) {
      for (String[] row : Golden.rows("golden/wire/" + file)) {
        if (row.length >= 3 && row[0].equals("s2c")) {
          corpus.add(HexFormat.of().parseHex(row[2]));
        } else if (row.length == 2) {
          corpus.add(HexFormat.of().parseHex(row[1]));
        }
      }
    }
    int decoded = 0;
    for (int round = 0; round < 4000; round++) {
      byte[] msg = corpus.get(random.nextInt(corpus.size())).clone();
      switch (random.nextInt(4)) {
        case 0 -> msg[random.nextInt(msg.length)] = (byte) random.nextInt(256);
        case 1 -> {
          for (int k = 0; k < 8; k++) {
            msg[random.nextInt(msg.length)] = (byte) random.nextInt(256);
          }
        }
        case 2 -> msg = java.util.Arrays.copyOf(msg, random.nextInt(msg.length + 1));
        default -> {
          msg = new byte[random.nextInt(300)];
          random.nextBytes(msg);
          if (msg.length > 1) {
            msg[0] = 4;
          }
        }
      }
      if (decodeAll(msg)) {
        decoded++;
      }
    }
    assertThat(decoded).isPositive();
  }

  /** Runs every decoder on {@code msg}; true if any accepted it. */
  private static boolean decodeAll(byte[] msg) {
    boolean any = false;
    List<ThrowingDecoder> decoders =
        List.of(
            FlowModDecoder::decode,
            GroupModDecoder::decode,
            PacketInDecoder::decode,
            MultipartReplyDecoder::decodeFlowStats,
            MultipartReplyDecoder::decodeGroupDesc,
            MultipartReplyDecoder::decodeFlowStatsBody,
            MultipartReplyDecoder::decodeGroupDescBody);
    for (ThrowingDecoder d : decoders) {
      try {
        d.decode(Unpooled.wrappedBuffer(msg));
        any = true;
      } catch (CodecException expected) {
        // The only failure allowed, and found by an explicit check (offset >= 0), not by the
        // decoders' last-resort conversion of an unexpected RuntimeException.
        assertThat(expected.offset()).as(expected.getMessage()).isNotNegative();
      }
    }
    return any;
  }

  @FunctionalInterface
  interface ThrowingDecoder {
    Object decode(ByteBuf b) throws CodecException;
  }

  @Test
  void clauseFlowWithSixThousandConjunctionsIsRefusedWithTheFlowNamed() {
    List<Action> conj = new ArrayList<>();
    for (int id = 1; id <= 6000; id++) {
      conj.add(new Action.Conjunction(id, 1, 2));
    }
    Flow f =
        Flow.of(
            90,
            200,
            0x1050000000000L,
            FlowText.parseMatch("ip,nw_src=10.0.0.1", PortNames.NONE),
            conj);
    ByteBuf out = Unpooled.buffer();
    assertThatThrownBy(() -> FlowModEncoder.encode(out, 7, FlowMod.add(f)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("65,535")
        .hasMessageContaining("96080 bytes")
        .hasMessageContaining("table=90, priority=200,ip,nw_src=10.0.0.1")
        .hasMessageContaining("conjunction(1,1/2)");
    assertThat(out.writerIndex()).isZero();
  }

  @Test
  void largestFittingClauseFlowEncodes() throws Exception {
    // 48 fixed + 16 match + 8 apply header + 16 per conjunction <= 65535 -> 4091 actions.
    List<Action> conj = new ArrayList<>();
    for (int id = 1; id <= 4091; id++) {
      conj.add(new Action.Conjunction(id, 2, 3));
    }
    Flow f = Flow.of(90, 200, 0, Match.any(), conj);
    ByteBuf out = Unpooled.buffer();
    FlowModEncoder.encode(out, 7, FlowMod.add(f));
    assertThat(out.writerIndex()).isEqualTo(FlowModEncoder.length(FlowMod.add(f)));
    assertThat(FlowModDecoder.decode(out).flow()).isEqualTo(f);
  }
}
