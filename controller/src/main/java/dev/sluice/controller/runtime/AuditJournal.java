package dev.sluice.controller.runtime;

import dev.sluice.compiler.audit.AuditReport;
import dev.sluice.compiler.audit.Drift;
import dev.sluice.compiler.flow.Flow;
import dev.sluice.compiler.flow.FlowText;
import dev.sluice.compiler.flow.Group;
import dev.sluice.compiler.flow.PortNames;
import dev.sluice.compiler.flow.TableChanges;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns what reconcilers changed and what audits found into {@link AuditLog} records: {@code
 * change} records (the bundle's flows and groups, the cause, the events it realizes) and {@code
 * drift} records (the audit report).
 */
final class AuditJournal {
  private static final Logger log = LoggerFactory.getLogger(AuditJournal.class);
  private static final int MAX_EVENTS_PER_RECORD = 100;

  private final AuditLog auditLog;
  private final RealizationTracker realization;

  AuditJournal(AuditLog auditLog, RealizationTracker realization) {
    this.auditLog = auditLog;
    this.realization = realization;
  }

  /** A committed bundle. */
  void changed(
      SwitchReconciler r, SwitchReconciler.Cause cause, TableChanges plan, DesiredFlows desired) {
    PortNames names = desired.ports().names();
    Map<String, Object> m = header(r, "change");
    Map<String, Object> why = new LinkedHashMap<>();
    why.put("cause", cause.text());
    if (cause != SwitchReconciler.Cause.AUDIT_REPAIR) {
      String node = r.node();
      List<Map<String, Object>> events =
          realization.pendingEvents(node, desired.seq(), MAX_EVENTS_PER_RECORD);
      int total = realization.pendingCount(node, desired.seq());
      why.put("events", events);
      if (total > events.size()) {
        why.put("moreEvents", total - events.size());
      }
      if (events.isEmpty()) {
        why.put("detail", "state change without a pending event (switch ports learned)");
      }
    }
    why.put("desiredSeq", desired.seq());
    m.put("why", why);
    m.put("added", texts(plan.flowAdds(), names));
    m.put("deleted", texts(plan.flowDeletes(), names));
    m.put("modified", texts(plan.flowModifies(), names));
    if (!plan.groupAdds().isEmpty()
        || !plan.groupModifies().isEmpty()
        || !plan.groupDeletes().isEmpty()) {
      m.put("groupsAdded", groupTexts(plan.groupAdds(), names));
      m.put("groupsModified", groupTexts(plan.groupModifies(), names));
      m.put("groupsDeleted", groupTexts(plan.groupDeletes(), names));
    }
    auditLog.record(r.node(), m);
  }

  /** An audit ran; drift is logged and recorded, a clean or skipped audit is not. */
  void audited(SwitchReconciler r, SwitchReconciler.AuditOutcome o) {
    AuditReport report = o.report();
    if (report == null || report.isClean()) {
      return;
    }
    log.warn(
        "{}: audit found drift: {} missing, {} modified, {} extraneous{}",
        r.tables().label(),
        report.count(Drift.Kind.MISSING),
        report.count(Drift.Kind.MODIFIED),
        report.count(Drift.Kind.EXTRANEOUS),
        o.repaired() ? " (repairing)" : "");
    Map<String, Object> m = header(r, "drift");
    m.put("time", o.time().toString());
    m.put("repair", o.repaired());
    m.putAll(AuditJson.report(report, o.names(), o.provenance()));
    auditLog.record(r.node(), m);
  }

  private static Map<String, Object> header(SwitchReconciler r, String type) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("time", Instant.now().toString());
    m.put("type", type);
    m.put("node", r.node());
    Map<String, Object> sw = new LinkedHashMap<>();
    sw.put("datapathId", r.tables().datapathId());
    sw.put("bridge", r.status().bridge());
    m.put("switch", sw);
    return m;
  }

  private static List<String> texts(List<Flow> flows, PortNames names) {
    return flows.stream().map(f -> FlowText.format(f, names)).toList();
  }

  private static List<String> groupTexts(List<Group> groups, PortNames names) {
    return groups.stream().map(g -> FlowText.formatGroup(g, names)).toList();
  }
}
