package dev.sluice.southbound.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.compiler.flow.Flow;
import dev.sluice.compiler.flow.FlowText;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every flowmods.tsv row the model parses, against the FLOW_MOD a real ovs-ofctl 3.1 sent. */
class FlowModGoldenTest {

  @Test
  void decodesAndReEncodesWhatOvsOfctlSent() throws Exception {
    List<String> failures = new ArrayList<>();
    List<String> identical = new ArrayList<>();
    List<String> semantic = new ArrayList<>();
    int skipped = 0;
    for (String[] row : Golden.rows("golden/wire/flowmods.tsv")) {
      String text = row[0];
      Flow flow;
      try {
        flow = FlowText.parse(text, Golden.WORKER1);
      } catch (RuntimeException e) {
        skipped++;
        System.out.println("  not in the model: " + text);
        continue;
      }
      ByteBuf ovs = Golden.buf(row[1]);
      FlowMod decoded;
      try {
        decoded = FlowModDecoder.decode(ovs);
      } catch (CodecException e) {
        failures.add("decode " + text + ": " + e.getMessage());
        continue;
      }
      if (!decoded.flow().equals(flow) || decoded.command() != FlowMod.Command.ADD) {
        failures.add("decode " + text + ": got " + decoded.flow());
      }
      ByteBuf mine = Unpooled.buffer();
      FlowModEncoder.encode(mine, 6, FlowMod.add(flow));
      if (Golden.hex(mine).equals(row[1])) {
        identical.add(text);
      } else {
        semantic.add(text + "\n    ovs  " + row[1] + "\n    mine " + Golden.hex(mine));
        FlowMod back = FlowModDecoder.decode(mine);
        if (!back.flow().equals(flow)) {
          failures.add("round trip " + text + ": got " + back.flow());
        }
      }
    }
    System.out.println(
        "flowmods.tsv: "
            + identical.size()
            + " byte-identical, "
            + semantic.size()
            + " semantic only, "
            + skipped
            + " not parsed by the model");
    semantic.forEach(s -> System.out.println("  semantic: " + s));
    assertThat(failures).isEmpty();
    assertThat(identical.size()).isGreaterThan(100);
  }
}
