package dev.sluice.compiler.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The printer and parser against what a real {@code ovs-ofctl} 3.1 printed (golden files captured
 * from Open vSwitch, see {@code golden/ovs/README.md}).
 */
class FlowTextGoldenTest {
  /** Ports of the bridge the golden files were captured on (the seed's worker1). */
  static final PortNames WORKER1 =
      PortNames.of(
          Map.of(
              "antrea-tun0", 1L,
              "antrea-gw0", 2L,
              "coredns--3e3abf", 3L,
              "antrea-o-830766", 4L,
              "backend1-bab86f", 5L,
              "frontend-a3ba2f", 6L));

  /** Syntax Sluice deliberately does not model; everything else in roundtrip.tsv must work. */
  private static final Pattern UNSUPPORTED =
      Pattern.compile(
          "ipv6|tcp6|dl_vlan|xx?reg\\d|controller\\(reason|controller\\(userdata|learn\\(|note:"
              + "|write_actions|clear_actions|write_metadata|push_vlan|resubmit\\(6\\)|resubmit:"
              + "|ct_nw_|ct_tp_|ct_clear|dec_ttl\\(|mod_nw_ttl|set_tunnel|send_flow_rem"
              + "|importance|alg=|NXM_NX_CT_LABEL\\[\\]|resubmit\\(,10,ct\\)|table=255|XXREG");

  /** Lines OVS accepts but silently changes (a field without its prerequisite is dropped). */
  private static final Pattern DELIBERATELY_REFUSED =
      Pattern.compile("table=1,priority=100,(nw_src|nw_dst|tp_dst)=[^,]*,actions=drop");

  record Row(String input, String of13, String of10) {}

  static List<Row> rows() throws IOException {
    List<Row> rows = new ArrayList<>();
    for (String line : resource("golden/ovs/roundtrip.tsv").split("\n")) {
      if (line.startsWith("#") || line.startsWith("input\t") || line.isBlank()) {
        continue;
      }
      String[] cols = line.split("\t", -1);
      rows.add(new Row(cols[0], cols[1], cols.length > 2 ? cols[2] : ""));
    }
    return rows;
  }

  static String resource(String path) throws IOException {
    try (InputStream in = FlowTextGoldenTest.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new IOException("missing test resource " + path);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void printsEverySupportedFlowExactlyAsOvsDoes() throws IOException {
    int checked = 0;
    List<String> failures = new ArrayList<>();
    for (Row row : rows()) {
      if (row.of13().equals("REJECTED")
          || UNSUPPORTED.matcher(row.input()).find()
          || DELIBERATELY_REFUSED.matcher(row.input()).matches()) {
        continue;
      }
      try {
        Flow flow =
            row.input().contains("table=")
                ? FlowText.parse(row.input(), WORKER1)
                : FlowText.parseLenient(row.input(), WORKER1);
        String printed = FlowText.format(flow, PortNames.NONE);
        if (!printed.equals(row.of13())) {
          failures.add(row.input() + "\n   ovs: " + row.of13() + "\n  ours: " + printed);
        }
        String legacy = FlowText.format(flow, PortNames.NONE, FlowText.Style.OPENFLOW10);
        if (!row.of10().isEmpty() && !legacy.equals(row.of10())) {
          failures.add(row.input() + "\n  ovs10: " + row.of10() + "\n ours10: " + legacy);
        }
        assertThat(FlowText.parseLenient(row.of13(), PortNames.NONE)).isEqualTo(flow);
        checked++;
      } catch (IllegalArgumentException e) {
        failures.add(row.input() + "\n  refused: " + e.getMessage());
      }
    }
    if (!failures.isEmpty()) {
      fail(failures.size() + " rows differ from OVS:\n" + String.join("\n", failures));
    }
    assertThat(checked).as("rows checked").isGreaterThan(150);
  }

  @Test
  void refusesWhatOvsRefusesOrWouldSilentlyChange() throws IOException {
    List<String> accepted = new ArrayList<>();
    for (Row row : rows()) {
      boolean ovsRefused = row.of13().equals("REJECTED");
      // OVS accepts these but silently drops the field whose prerequisite is missing.
      boolean ovsDroppedField = DELIBERATELY_REFUSED.matcher(row.input()).matches();
      if (!(ovsRefused || ovsDroppedField) || UNSUPPORTED.matcher(row.input()).find()) {
        continue;
      }
      // Errors OVS only finds against a live switch's tables, not in the text.
      if (row.input().contains("group:99")
          || row.input().contains("table=254")
          || row.input().contains("ct(commit,alg")) {
        continue;
      }
      try {
        FlowText.parse(row.input(), WORKER1);
        accepted.add(row.input() + "  (ovs: " + row.of13() + ")");
      } catch (FlowParseException expected) {
        assertThat(expected.getMessage()).isNotBlank();
      }
    }
    assertThat(accepted).as("lines OVS refuses or changes but Sluice accepted").isEmpty();
  }

  @Test
  void seedDumpsParseAndPrintBackLineForLine() throws IOException {
    for (String node : List.of("worker1")) {
      List<String> dump =
          resource("golden/ovs/" + node + ".dump-of13-names.txt")
              .lines()
              .map(String::strip)
              .filter(l -> !l.isEmpty())
              .toList();
      for (String line : dump) {
        Flow flow = FlowText.parseLenient(line, WORKER1);
        assertThat(FlowText.format(flow, WORKER1)).isEqualTo(line);
      }
      Set<Flow> of13 = parseAll(node + ".dump-of13-names.txt");
      Set<Flow> of10 = parseAll(node + ".dump-of10-names.txt");
      assertThat(of10).isEqualTo(of13);
    }
  }

  @Test
  void addFlowsFileOfTheSeedIsTheDump() throws IOException {
    String text =
        new String(
            java.nio.file.Files.readAllBytes(
                java.nio.file.Path.of("../deploy/examples/packet-walk/flows/worker1.flows")),
            StandardCharsets.UTF_8);
    Set<Flow> file = new HashSet<>(FlowText.parseAll(text, WORKER1, true));
    assertThat(file).isEqualTo(parseAll("worker1.dump-of13-names.txt"));
  }

  @Test
  void lineWithoutTableIsRefused() {
    assertThatThrownBy(() -> FlowText.parse("priority=1,ip actions=drop", PortNames.NONE))
        .isInstanceOf(FlowParseException.class)
        .hasMessageContaining("no table=");
    assertThat(FlowText.parseLenient("priority=1,ip actions=drop", PortNames.NONE).table())
        .isZero();
  }

  @Test
  void unknownPortNameIsNamedInTheError() {
    assertThatThrownBy(() -> FlowText.parse("table=0,in_port=\"nope\" actions=drop", WORKER1))
        .hasMessageContaining("nope");
  }

  private static Set<Flow> parseAll(String file) throws IOException {
    return FlowText.parseAll(resource("golden/ovs/" + file), WORKER1, false).stream()
        .collect(Collectors.toSet());
  }
}
