package dev.sluice.controller.api;

import java.util.List;
import java.util.Set;

/**
 * A switch that was audited: what differs, and whether it was repaired. The report's fields are
 * written inline (as {@link DriftReport} has them), after the repair's.
 *
 * @param node the node
 * @param datapathId the switch's datapath id
 * @param bridge the bridge
 * @param time when, ISO-8601
 * @param status {@code clean}, {@code drift} or {@code repaired}
 * @param repaired whether the fix was sent (one bundle)
 * @param repairChanges flow and group changes the fix sent
 * @param millis how long the audit took
 * @param flowsInstalled see {@link DriftReport}
 * @param flowsDesired see {@link DriftReport}
 * @param missing see {@link DriftReport}
 * @param modified see {@link DriftReport}
 * @param extraneous see {@link DriftReport}
 * @param drifts see {@link DriftReport}
 * @param groupDrifts see {@link DriftReport}
 */
public record AuditResult(
    String node,
    String datapathId,
    String bridge,
    String time,
    String status,
    boolean repaired,
    int repairChanges,
    long millis,
    int flowsInstalled,
    int flowsDesired,
    int missing,
    int modified,
    int extraneous,
    List<FlowDrift> drifts,
    List<GroupDriftEntry> groupDrifts)
    implements SwitchAudit {
  private static final Set<String> STATUSES = Set.of("clean", "drift", "repaired");

  /** Checks the status and copies the lists. */
  public AuditResult {
    if (!STATUSES.contains(status)) {
      throw new IllegalArgumentException(
          "audit status '" + status + "': expected clean, drift or repaired");
    }
    drifts = List.copyOf(drifts);
    groupDrifts = List.copyOf(groupDrifts);
  }

  /** The result of an audit that found {@code report}; the status follows from it. */
  public static AuditResult of(
      String node,
      String datapathId,
      String bridge,
      String time,
      boolean repaired,
      int repairChanges,
      long millis,
      DriftReport report) {
    return new AuditResult(
        node,
        datapathId,
        bridge,
        time,
        repaired ? "repaired" : report.noDrift() ? "clean" : "drift",
        repaired,
        repairChanges,
        millis,
        report.flowsInstalled(),
        report.flowsDesired(),
        report.missing(),
        report.modified(),
        report.extraneous(),
        report.drifts(),
        report.groupDrifts());
  }

  /** The report's part. */
  public DriftReport report() {
    return new DriftReport(
        flowsInstalled, flowsDesired, missing, modified, extraneous, drifts, groupDrifts);
  }

  @Override
  public boolean drift() {
    return !status.equals("clean");
  }
}
