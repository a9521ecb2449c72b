package dev.sluice.testkit.ovs;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parsed output of {@code ovs-appctl ofproto/trace}, across all its recirculation stages (each
 * {@code ct(table=N)} starts a new stage; {@code --ct-next} sets the conntrack state it resumes
 * with).
 *
 * <p>Output ports are <em>OpenFlow</em> port numbers, taken from the pipeline's {@code output:N}
 * actions and from the {@code -> output port is N} note that follows {@code output:NXM_NX_REG1[]}.
 * The {@code Datapath actions:} line uses datapath port numbers, which differ from OpenFlow port
 * numbers, so it is kept as text only.
 *
 * @param text the raw trace output
 * @param tables every table the packet entered, in order, including tables where it found no match
 * @param outputPorts the OpenFlow ports the packet was output to, in order
 * @param datapathActions the last {@code Datapath actions:} line (without the prefix), e.g. {@code
 *     drop} or {@code ct(commit,zone=65520),recirc(0x2)}
 */
public record TraceResult(
    String text, List<Integer> tables, List<Integer> outputPorts, String datapathActions) {

  // " 0. in_port=2, priority 200, cookie 0x1000000000000" or "80. No match." (any indentation:
  // a resubmit that is not the last action is nested one level deeper).
  private static final Pattern TABLE = Pattern.compile("^\\s*(\\d+)\\.\\s");
  private static final Pattern OUTPUT_ACTION = Pattern.compile("^\\s*output:(\\d+)\\s*$");
  private static final Pattern OUTPUT_NOTE = Pattern.compile("->\\s*output port is (\\d+)");
  private static final Pattern OUTPUT_OR_IN_PORT =
      Pattern.compile("^\\s*(?:output:)?(\\d+|IN_PORT)\\s*$");
  private static final Pattern IN_PORT = Pattern.compile("\\bin_port=(\\d+)");
  private static final String DATAPATH_ACTIONS = "Datapath actions:";

  public TraceResult {
    Objects.requireNonNull(text, "text");
    tables = List.copyOf(tables);
    outputPorts = List.copyOf(outputPorts);
    Objects.requireNonNull(datapathActions, "datapathActions");
  }

  /** Parses the text printed by {@code ofproto/trace}. */
  public static TraceResult parse(String text) {
    List<Integer> tables = new ArrayList<>();
    List<Integer> outputs = new ArrayList<>();
    String datapathActions = null;
    for (String line : text.split("\n", -1)) {
      Matcher m = TABLE.matcher(line);
      if (m.find()) {
        tables.add(Integer.parseInt(m.group(1)));
        continue;
      }
      m = OUTPUT_ACTION.matcher(line);
      if (m.find()) {
        outputs.add(Integer.parseInt(m.group(1)));
        continue;
      }
      m = OUTPUT_NOTE.matcher(line);
      if (m.find()) {
        outputs.add(Integer.parseInt(m.group(1)));
        continue;
      }
      if (line.startsWith(DATAPATH_ACTIONS)) {
        datapathActions = line.substring(DATAPATH_ACTIONS.length()).strip();
      }
    }
    if (datapathActions == null) {
      throw new IllegalArgumentException(
          "not an ofproto/trace output (no \"Datapath actions:\" line):\n" + text);
    }
    return new TraceResult(text, tables, outputs, datapathActions);
  }

  /**
   * The OpenFlow ports the packet really left through, in order: like {@link #outputPorts()} but
   * without outputs OVS skipped ("skipping output to input port", "Nonexistent output port"), with
   * {@code IN_PORT} resolved to the section's input port, and none at all when the translation
   * failed (OVS then drops the packet).
   */
  public List<Integer> effectiveOutputPorts() {
    if (text.contains("Translation failed")) {
      return List.of();
    }
    List<Integer> out = new ArrayList<>();
    String[] lines = text.split("\n");
    int currentInPort = -1;
    for (int i = 0; i < lines.length; i++) {
      String l = lines[i];
      Matcher f = IN_PORT.matcher(l);
      if (l.startsWith("Flow:") && f.find()) {
        currentInPort = Integer.parseInt(f.group(1));
      }
      Matcher m = OUTPUT_OR_IN_PORT.matcher(l);
      Matcher n = OUTPUT_NOTE.matcher(l);
      Integer port = null;
      if (n.find()) {
        port = Integer.parseInt(n.group(1));
      } else if (m.find() && l.startsWith("    ")) {
        port = m.group(1).equals("IN_PORT") ? currentInPort : Integer.parseInt(m.group(1));
      }
      if (port == null) {
        continue;
      }
      String next = i + 1 < lines.length ? lines[i + 1] : "";
      if (next.contains("-> output port is")) {
        continue; // the note on the next line carries the port
      }
      if (next.contains("skipping output to input port")
          || next.contains("Nonexistent output port")) {
        continue;
      }
      out.add(port);
    }
    return List.copyOf(out);
  }

  /**
   * The packet as it left through {@code port}: the "Final flow:" line of the trace section (the
   * initial pass or a recirculation) that output to it, or that section's "Flow:" line when the
   * final flow is "unchanged"; without the {@code Final flow: } / {@code Flow: } prefix. Empty when
   * no section output to {@code port}.
   */
  public Optional<String> flowAtOutput(int port) {
    String flow = null;
    String fin = null;
    boolean output = false;
    for (String l : text.split("\n")) {
      if (l.startsWith("Flow:")) {
        if (output) {
          break;
        }
        flow = l.substring("Flow:".length()).strip();
        fin = null;
      }
      if (l.startsWith("Final flow:")) {
        String f = l.substring("Final flow:".length()).strip();
        fin = f.equals("unchanged") ? null : f;
      }
      Matcher note = OUTPUT_NOTE.matcher(l);
      Matcher action = OUTPUT_ACTION.matcher(l);
      if (note.find() && Integer.parseInt(note.group(1)) == port
          || action.find() && Integer.parseInt(action.group(1)) == port) {
        output = true;
      }
    }
    if (!output) {
      return Optional.empty();
    }
    return Optional.ofNullable(fin != null ? fin : flow);
  }

  /** True when the packet left through no port. */
  public boolean dropped() {
    return outputPorts.isEmpty();
  }

  /** True when the packet entered {@code table} (matched a flow there or not). */
  public boolean visited(int table) {
    return tables.contains(table);
  }

  /** The trace output, for assertion messages. */
  @Override
  public String toString() {
    return "TraceResult[tables="
        + tables
        + ", outputPorts="
        + outputPorts
        + ", datapathActions="
        + datapathActions
        + "]\n"
        + text;
  }
}
