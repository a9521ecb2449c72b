package dev.sluice.compiler.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/** Group text against what {@code ovs-ofctl -O OpenFlow13 dump-groups} printed (groups.tsv). */
class GroupTextGoldenTest {
  @Test
  void printsGroupsAsOvsDoes() throws IOException {
    int checked = 0;
    for (String line : FlowTextGoldenTest.resource("golden/ovs/groups.tsv").split("\n")) {
      if (line.startsWith("#") || line.startsWith("input\t") || line.isBlank()) {
        continue;
      }
      String[] cols = line.split("\t", -1);
      if (cols[0].contains("selection_method") || cols[1].equals("REJECTED")) {
        continue; // OpenFlow 1.5 group properties are outside Sluice's model.
      }
      Group g = FlowText.parseGroup(cols[0], PortNames.NONE);
      assertThat(FlowText.formatGroup(g, PortNames.NONE)).as(cols[0]).isEqualTo(cols[1]);
      assertThat(FlowText.parseGroup(cols[1], PortNames.NONE)).isEqualTo(g);
      checked++;
    }
    assertThat(checked).isGreaterThanOrEqualTo(9);
  }
}
