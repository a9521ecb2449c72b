package dev.sluice.controller.api;

import java.util.List;

/**
 * The last audit of every switch ({@code GET /api/v1/audit}).
 *
 * @param switches per switch audited since it connected, its last audit
 */
public record LastAudits(List<SwitchAudit> switches) {
  /** Copies the list. */
  public LastAudits {
    switches = List.copyOf(switches);
  }
}
