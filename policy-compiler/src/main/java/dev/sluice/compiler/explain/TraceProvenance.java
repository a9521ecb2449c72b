package dev.sluice.compiler.explain;

import dev.sluice.compiler.audit.Attribution;
import dev.sluice.compiler.audit.FlowAudit;
import dev.sluice.compiler.flow.Flow;
import dev.sluice.compiler.pipeline.Provenance;
import dev.sluice.compiler.pipeline.Table;
import dev.sluice.compiler.sim.Trace;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Each step of a simulator {@link Trace} in Kubernetes terms: the object and rule behind the flow
 * that matched, e.g. {@code table 50 (EgressRule): conjunction 1 of NetworkPolicy
 * default/frontendpolicy egress rule 0 — allowed}.
 */
public final class TraceProvenance {
  private TraceProvenance() {}

  /** One line per step of {@code trace}, in step order. */
  public static List<String> annotate(Trace trace, Provenance provenance) {
    List<String> out = new ArrayList<>(trace.steps().size());
    for (Trace.Step s : trace.steps()) {
      out.add(annotate(s, provenance));
    }
    return out;
  }

  /** The line of one step. */
  public static String annotate(Trace.Step step, Provenance provenance) {
    StringBuilder sb = new StringBuilder("table ").append(step.table());
    String name = tableName(step.table());
    if (!name.isEmpty()) {
      sb.append(" (").append(name).append(')');
    }
    sb.append(": ");
    Flow f = step.flow();
    if (f == null) {
      return sb.append("no flow matched — table-miss drop").toString();
    }
    if (step.conjId() != 0) {
      Provenance.Origin rule =
          provenance.origins(f.cookie()).stream()
              .filter(o -> o.rule() != null && o.rule().conjId() == step.conjId())
              .findFirst()
              .orElse(null);
      sb.append("conjunction ").append(step.conjId());
      if (rule != null) {
        Provenance.RuleRef r = rule.rule();
        sb.append(" of ")
            .append(rule.kindText())
            .append(' ')
            .append(rule.namespace())
            .append('/')
            .append(rule.name())
            .append(' ')
            .append(r == null ? "" : r.direction())
            .append(r == null || r.ruleIndex() < 0 ? "" : " rule " + r.ruleIndex());
      } else {
        sb.append(" (no rule known for it)");
      }
      return sb.append(f.actions().isEmpty() ? " — dropped" : " — allowed").toString();
    }
    List<Attribution> who = Attribution.of(f, provenance);
    if (who.isEmpty()) {
      sb.append(
          FlowAudit.isOurs(f.cookie())
              ? String.format("cookie 0x%x: Sluice's, object no longer known", f.cookie())
              : String.format("cookie 0x%x: not Sluice's", f.cookie()));
    } else {
      sb.append(who.stream().map(Attribution::describe).collect(Collectors.joining("; ")));
    }
    if (f.actions().isEmpty()) {
      boolean policyDefault =
          step.table() == Table.EGRESS_DEFAULT.id() || step.table() == Table.INGRESS_DEFAULT.id();
      sb.append(policyDefault ? " — denied: isolated and no rule allows it" : " — dropped");
    }
    return sb.toString();
  }

  private static String tableName(int id) {
    try {
      return Table.byId(id).displayName();
    } catch (IllegalArgumentException e) {
      return "";
    }
  }
}
