package dev.sluice.controller.api;

import java.util.List;

/**
 * What one audit of a switch found: counts and every difference with its provenance. The same
 * fields are part of an {@link AuditResult} and of a drift record of the audit log.
 *
 * @param flowsInstalled flows the switch holds
 * @param flowsDesired flows it should hold
 * @param missing desired flows the switch lacks
 * @param modified flows the switch holds with other actions (or other settings)
 * @param extraneous flows the switch holds that are not desired
 * @param drifts every flow difference
 * @param groupDrifts every group difference
 */
public record DriftReport(
    int flowsInstalled,
    int flowsDesired,
    int missing,
    int modified,
    int extraneous,
    List<FlowDrift> drifts,
    List<GroupDriftEntry> groupDrifts) {
  /** Copies the lists. */
  public DriftReport {
    drifts = List.copyOf(drifts);
    groupDrifts = List.copyOf(groupDrifts);
  }

  /** Whether nothing differs. */
  public boolean noDrift() {
    return drifts.isEmpty() && groupDrifts.isEmpty();
  }
}
