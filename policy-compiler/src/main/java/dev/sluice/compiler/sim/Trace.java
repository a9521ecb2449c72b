package dev.sluice.compiler.sim;

import dev.sluice.compiler.flow.Action;
import dev.sluice.compiler.flow.Flow;
import dev.sluice.compiler.flow.FlowText;
import dev.sluice.compiler.flow.PortNames;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The result of {@link Simulator#trace}: the tables visited in order, across recirculations, the
 * conntrack actions executed, and the {@link Verdict}.
 *
 * @param microflow the packet the trace started with
 * @param passes pass 0 is the packet as it arrived; pass {@code n > 0} is the {@code n}th
 *     recirculation after a {@code ct(table=N)}
 * @param steps one per table lookup, in visit order
 * @param conntrack every {@code ct} action, in execution order
 * @param verdict where the packet went
 */
public record Trace(
    Microflow microflow,
    List<Pass> passes,
    List<Step> steps,
    List<CtEvent> conntrack,
    Verdict verdict) {

  public Trace {
    passes = List.copyOf(passes);
    steps = List.copyOf(steps);
    conntrack = List.copyOf(conntrack);
  }

  /**
   * One pass through the pipeline: the original packet ({@code number == 0}, {@code ctState} 0), or
   * a recirculation resumed at {@code table} with the conntrack state taken from {@link CtNext}.
   */
  public record Pass(int number, int table, long ctState, int ctZone, boolean defaultCtState) {}

  /**
   * One table lookup.
   *
   * @param pass the {@link Pass} it belongs to
   * @param depth resubmit/goto nesting depth within the pass (0 = first table of the pass)
   * @param table the table looked up
   * @param flow the flow that matched, or null for a table miss
   * @param conjId the conjunction that selected {@code flow} (its {@code conj_id}), or 0
   * @param note what happened beyond the flow's own actions (miss, conjunction, ct, skipped output,
   *     ambiguity...), or empty
   */
  public record Step(
      int pass, int depth, int table, @Nullable Flow flow, long conjId, String note) {
    /** The matched flow's cookie: provenance (round, category, object) is read from it. */
    public OptionalLong cookie() {
      return flow == null ? OptionalLong.empty() : OptionalLong.of(flow.cookie());
    }

    public boolean isMiss() {
      return flow == null;
    }

    /** {@code table 0 priority=190,in_port="frontend-a3ba2f" load:...,resubmit(,10)}. */
    public String format(PortNames ports) {
      StringBuilder sb = new StringBuilder();
      sb.append(String.format("table %-3d ", table));
      if (flow == null) {
        sb.append("no match: table-miss, drop");
      } else {
        String match = FlowText.formatMatch(flow.match(), ports);
        sb.append("priority=").append(flow.priority());
        if (!match.isEmpty()) {
          sb.append(',').append(match);
        }
        sb.append("   ")
            .append(
                flow.actions().isEmpty() ? "drop" : FlowText.formatActions(flow.actions(), ports));
      }
      if (!note.isEmpty()) {
        sb.append(flow == null ? "; " : " -> ").append(note);
      }
      return sb.toString();
    }
  }

  /**
   * One {@code ct} action: commit or not, the zone, {@code ct_mark} after its {@code exec()}, the
   * {@code nat} it asked for (recorded only: like {@code ofproto/trace}, the simulator does not
   * rewrite addresses), and the table it recirculates to (-1 for none).
   */
  public record CtEvent(
      int pass,
      int table,
      boolean commit,
      int zone,
      long mark,
      Action.@Nullable Nat nat,
      int recirculateTo) {}

  /** The tables visited, in order, across passes. */
  public List<Integer> tables() {
    return steps.stream().map(Step::table).collect(Collectors.toUnmodifiableList());
  }

  /** The tables visited in one pass. */
  public List<Integer> tables(int pass) {
    return steps.stream()
        .filter(s -> s.pass() == pass)
        .map(Step::table)
        .collect(Collectors.toUnmodifiableList());
  }

  /** Steps whose note reports that OVS's choice would be undefined (equal-priority overlap). */
  public List<Step> ambiguities() {
    return steps.stream()
        .filter(s -> s.note().contains("ambiguous"))
        .collect(Collectors.toUnmodifiableList());
  }

  /** A human trace, one table per line, recirculations as headers, then the verdict. */
  public String format(PortNames ports) {
    StringBuilder sb = new StringBuilder();
    sb.append("packet: ").append(microflow.format(ports)).append('\n');
    int pass = -1;
    for (Step s : steps) {
      if (s.pass() != pass) {
        pass = s.pass();
        if (pass > 0) {
          Pass p = passes.get(pass);
          sb.append("recirculation ")
              .append(pass)
              .append(": resume at table ")
              .append(p.table())
              .append(" with ct_state=")
              .append(Packet.ctStateFlags(p.ctState()))
              .append(",ct_zone=")
              .append(p.ctZone())
              .append(p.defaultCtState() ? " (default; --ct-next list exhausted)" : "")
              .append('\n');
        }
      }
      sb.append(s.format(ports)).append('\n');
    }
    sb.append("verdict: ").append(verdict.format(ports)).append('\n');
    return sb.toString();
  }

  /** Strings and numbers only, for {@code --json}. */
  public record Report(
      String microflow,
      List<StepReport> steps,
      List<String> outputs,
      String verdict,
      String kind) {}

  /** One step for {@link Report}; {@code cookie} is hex, empty on a miss. */
  public record StepReport(
      int pass,
      int depth,
      int table,
      int priority,
      String match,
      String actions,
      String cookie,
      long conjId,
      String note) {}

  public Report report(PortNames ports) {
    List<StepReport> out = new ArrayList<>();
    for (Step s : steps) {
      Flow f = s.flow();
      out.add(
          new StepReport(
              s.pass(),
              s.depth(),
              s.table(),
              f == null ? -1 : f.priority(),
              f == null ? "" : FlowText.formatMatch(f.match(), ports),
              f == null ? "" : FlowText.formatActions(f.actions(), ports),
              f == null ? "" : "0x" + Long.toHexString(f.cookie()),
              s.conjId(),
              s.note()));
    }
    return new Report(
        microflow.format(ports),
        out,
        verdict.outputs().stream()
            .map(o -> o.format(ports))
            .collect(Collectors.toUnmodifiableList()),
        verdict.format(ports),
        verdict.kind().name());
  }
}
