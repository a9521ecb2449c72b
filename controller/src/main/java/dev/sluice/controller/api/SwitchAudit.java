package dev.sluice.controller.api;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * One switch's audit ({@code POST} and {@code GET /api/v1/audit}): either its result, or why it was
 * not audited. Told apart by their fields (a skipped audit has {@code skipped}), as the server
 * writes no type name.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.DEDUCTION)
@JsonSubTypes({@JsonSubTypes.Type(AuditResult.class), @JsonSubTypes.Type(AuditSkipped.class)})
public sealed interface SwitchAudit permits AuditResult, AuditSkipped {
  /** The node. */
  String node();

  /** The switch's datapath id. */
  String datapathId();

  /** The bridge. */
  String bridge();

  /** When the audit ran, ISO-8601. */
  String time();

  /** {@code clean}, {@code drift}, {@code repaired} or {@code skipped}. */
  String status();

  /** Whether drift was found (also when it was repaired). */
  boolean drift();
}
