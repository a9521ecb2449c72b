package dev.sluice.testkit.ovs;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
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
