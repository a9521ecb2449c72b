package dev.sluice.controller.runtime;

import dev.sluice.compiler.audit.Attribution;
import dev.sluice.compiler.audit.AuditReport;
import dev.sluice.compiler.audit.Drift;
import dev.sluice.compiler.audit.FlowAudit;
import dev.sluice.compiler.audit.GroupDrift;
import dev.sluice.compiler.flow.Flow;
import dev.sluice.compiler.flow.FlowText;
import dev.sluice.compiler.flow.PortNames;
import dev.sluice.compiler.pipeline.Provenance;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Flows, drift and provenance as JSON-ready maps: one shape for the API, the CLI's {@code --json}
 * and the audit log. Every flow carries its {@code origins}: category, object, and for policy flows
 * the rule (direction, index, conj_id, port group, clauses) and the flow's clause.
 */
final class AuditJson {
  private AuditJson() {}

  /** Summary counts and every drift. */
  static Map<String, Object> report(AuditReport r, PortNames names, Provenance provenance) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("flowsInstalled", r.installedCount());
    m.put("flowsDesired", r.desiredCount());
    m.put("missing", r.count(Drift.Kind.MISSING));
    m.put("modified", r.count(Drift.Kind.MODIFIED));
    m.put("extraneous", r.count(Drift.Kind.EXTRANEOUS));
    List<Map<String, Object>> drifts = new ArrayList<>();
    for (Drift d : r.drifts()) {
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("kind", d.kind().name().toLowerCase(Locale.ROOT));
      x.put("reason", d.reason());
      x.put("flow", FlowText.format(d.flow(), names));
      Flow want = d.desired();
      Flow have = d.installed();
      if (d.kind() == Drift.Kind.MODIFIED && want != null && have != null) {
        x.put("want", FlowText.format(want, names));
        x.put("have", FlowText.format(have, names));
      }
      x.put("table", d.flow().table());
      x.put("cookie", cookie(d.flow().cookie()));
      x.put("ours", FlowAudit.isOurs(d.flow().cookie()));
      Flow attributed = want != null ? want : d.flow();
      x.put("origins", origins(attributed, provenance));
      drifts.add(x);
    }
    m.put("drifts", drifts);
    List<Map<String, Object>> groups = new ArrayList<>();
    for (GroupDrift g : r.groupDrifts()) {
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("kind", g.kind().name().toLowerCase(Locale.ROOT));
      x.put("groupId", g.groupId());
      if (g.desired() != null) {
        x.put("want", FlowText.formatGroup(g.desired(), names));
      }
      if (g.installed() != null) {
        x.put("have", FlowText.formatGroup(g.installed(), names));
      }
      groups.add(x);
    }
    m.put("groupDrifts", groups);
    return m;
  }

  /** One flow with its provenance. */
  static Map<String, Object> flow(Flow f, PortNames names, Provenance provenance) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("table", f.table());
    m.put("priority", f.priority());
    m.put("cookie", cookie(f.cookie()));
    m.put("flow", FlowText.format(f, names));
    m.put("origins", origins(f, provenance));
    return m;
  }

  /** The attributions of a flow. */
  static List<Map<String, Object>> origins(Flow f, Provenance provenance) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Attribution a : Attribution.of(f, provenance)) {
      Provenance.Origin o = a.origin();
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("category", o.category().name().toLowerCase(Locale.ROOT));
      m.put("kind", o.kindText());
      m.put("namespace", o.namespace());
      m.put("name", o.name());
      Provenance.RuleRef r = o.rule();
      if (r != null) {
        Map<String, Object> rule = new LinkedHashMap<>();
        rule.put("direction", r.direction());
        rule.put("index", r.ruleIndex());
        rule.put("conjId", r.conjId());
        rule.put("portGroup", r.portGroup());
        rule.put("clauses", r.clauses());
        m.put("rule", rule);
      }
      if (a.clause() != null) {
        m.put("clause", a.clause());
      }
      m.put("text", a.describe());
      out.add(m);
    }
    return out;
  }

  static String cookie(long c) {
    return "0x" + Long.toHexString(c);
  }
}
