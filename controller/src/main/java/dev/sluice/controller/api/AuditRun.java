package dev.sluice.controller.api;

import java.util.List;

/**
 * The answer of {@code POST /api/v1/audit[?node=NAME][&repair=true]}.
 *
 * @param repair whether drift was to be repaired
 * @param clean whether every audited switch was clean
 * @param switches per switch, its audit
 */
public record AuditRun(boolean repair, boolean clean, List<SwitchAudit> switches) {
  /** Copies the list. */
  public AuditRun {
    switches = List.copyOf(switches);
  }
}
