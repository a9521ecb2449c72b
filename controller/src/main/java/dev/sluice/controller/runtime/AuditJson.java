package dev.sluice.controller.runtime;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.sluice.compiler.audit.Attribution;
import dev.sluice.compiler.audit.AuditReport;
import dev.sluice.compiler.audit.Drift;
import dev.sluice.compiler.audit.FlowAudit;
import dev.sluice.compiler.audit.GroupDrift;
import dev.sluice.compiler.flow.Flow;
import dev.sluice.compiler.flow.FlowText;
import dev.sluice.compiler.flow.PortNames;
import dev.sluice.compiler.pipeline.Provenance;
import dev.sluice.controller.api.ApiJson;
import dev.sluice.controller.api.DriftReport;
import dev.sluice.controller.api.FlowDrift;
import dev.sluice.controller.api.FlowEntry;
import dev.sluice.controller.api.FlowOrigin;
import dev.sluice.controller.api.GroupDriftEntry;
import dev.sluice.controller.api.OriginRule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Flows, drift and provenance as the API's records: one shape for the API, the CLI's {@code --json}
 * and the audit log. Every flow carries its {@code origins}: category, object, and for policy flows
 * the rule (direction, index, conj_id, port group, clauses) and the flow's clause.
 */
final class AuditJson {
  private AuditJson() {}

  /** Summary counts and every drift. */
  static DriftReport driftReport(AuditReport r, PortNames names, Provenance provenance) {
    List<FlowDrift> drifts = new ArrayList<>();
    for (Drift d : r.drifts()) {
      Flow want = d.desired();
      Flow have = d.installed();
      boolean modified = d.kind() == Drift.Kind.MODIFIED && want != null && have != null;
      Flow attributed = want != null ? want : d.flow();
      drifts.add(
          new FlowDrift(
              kind(d.kind()),
              d.reason(),
              FlowText.format(d.flow(), names),
              modified ? FlowText.format(want, names) : null,
              modified ? FlowText.format(have, names) : null,
              d.flow().table(),
              cookie(d.flow().cookie()),
              FlowAudit.isOurs(d.flow().cookie()),
              origins(attributed, provenance)));
    }
    List<GroupDriftEntry> groups = new ArrayList<>();
    for (GroupDrift g : r.groupDrifts()) {
      groups.add(
          new GroupDriftEntry(
              kind(g.kind()),
              g.groupId(),
              g.desired() == null ? null : FlowText.formatGroup(g.desired(), names),
              g.installed() == null ? null : FlowText.formatGroup(g.installed(), names)));
    }
    return new DriftReport(
        r.installedCount(),
        r.desiredCount(),
        r.count(Drift.Kind.MISSING),
        r.count(Drift.Kind.MODIFIED),
        r.count(Drift.Kind.EXTRANEOUS),
        drifts,
        groups);
  }

  /** {@link #driftReport} as an ordered map, for the audit log's drift records. */
  static Map<String, Object> report(AuditReport r, PortNames names, Provenance provenance) {
    return ApiJson.mapper()
        .convertValue(
            driftReport(r, names, provenance),
            new TypeReference<LinkedHashMap<String, Object>>() {});
  }

  /** One flow with its provenance. */
  static FlowEntry flow(Flow f, PortNames names, Provenance provenance) {
    return new FlowEntry(
        f.table(),
        f.priority(),
        cookie(f.cookie()),
        FlowText.format(f, names),
        origins(f, provenance));
  }

  /** The attributions of a flow. */
  static List<FlowOrigin> origins(Flow f, Provenance provenance) {
    List<FlowOrigin> out = new ArrayList<>();
    for (Attribution a : Attribution.of(f, provenance)) {
      Provenance.Origin o = a.origin();
      Provenance.RuleRef r = o.rule();
      out.add(
          new FlowOrigin(
              o.category().name().toLowerCase(Locale.ROOT),
              o.kindText(),
              o.namespace(),
              o.name(),
              r == null
                  ? null
                  : new OriginRule(
                      r.direction(), r.ruleIndex(), r.conjId(), r.portGroup(), r.clauses()),
              a.clause(),
              a.describe()));
    }
    return out;
  }

  static String cookie(long c) {
    return "0x" + Long.toHexString(c);
  }

  private static String kind(Drift.Kind k) {
    return k.name().toLowerCase(Locale.ROOT);
  }
}
