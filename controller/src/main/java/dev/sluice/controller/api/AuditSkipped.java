package dev.sluice.controller.api;

/**
 * A switch that was not audited.
 *
 * @param node the node
 * @param datapathId the switch's datapath id
 * @param bridge the bridge
 * @param time when, ISO-8601
 * @param status always {@code skipped}
 * @param skipped why, for people
 */
public record AuditSkipped(
    String node, String datapathId, String bridge, String time, String status, String skipped)
    implements SwitchAudit {
  /** The status, as the wire carries it. */
  public static final String STATUS = "skipped";

  /** Checks the status. */
  public AuditSkipped {
    if (!status.equals(STATUS)) {
      throw new IllegalArgumentException("a skipped audit has status skipped, not " + status);
    }
  }

  @Override
  public boolean drift() {
    return false;
  }
}
