package dev.sluice.controller.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * How far the consumed events are realized ({@code GET /api/v1/realization[?position=...]}).
 *
 * @param consumedOffsets per {@code topic-partition}, the last offset consumed
 * @param realizedOffsets per node, per {@code topic-partition}, the last offset realized
 * @param policies per NetworkPolicy, on how many nodes its current generation is realized
 * @param positions per asked position, where it is realized (left out when none was asked)
 */
public record RealizationView(
    Map<String, Long> consumedOffsets,
    Map<String, Map<String, Long>> realizedOffsets,
    List<PolicyRealization> policies,
    @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable List<PositionStatus> positions) {
  /** Copies the collections. */
  public RealizationView {
    consumedOffsets = Wire.map(consumedOffsets);
    realizedOffsets = Wire.map(realizedOffsets);
    policies = List.copyOf(policies);
    positions = positions == null ? null : List.copyOf(positions);
  }
}
