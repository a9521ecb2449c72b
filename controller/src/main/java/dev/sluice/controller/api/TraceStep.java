package dev.sluice.controller.api;

import java.util.List;

/**
 * One table a traced packet went through.
 *
 * @param pass the recirculation pass (0: the first)
 * @param table the table
 * @param priority the matched flow's priority
 * @param match the matched flow's match
 * @param actions the matched flow's actions
 * @param cookie the matched flow's cookie in hex, empty on a table miss
 * @param conjId the conjunction that selected the flow, or 0
 * @param note what the step did, for people
 * @param provenance what produced the flow, in one line
 * @param origins what produced the flow (empty on a miss)
 */
public record TraceStep(
    int pass,
    int table,
    int priority,
    String match,
    String actions,
    String cookie,
    long conjId,
    String note,
    String provenance,
    List<FlowOrigin> origins) {
  /** Copies the list. */
  public TraceStep {
    origins = List.copyOf(origins);
  }
}
