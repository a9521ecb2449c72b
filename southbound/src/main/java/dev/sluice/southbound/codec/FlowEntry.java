package dev.sluice.southbound.codec;

import dev.sluice.compiler.flow.Flow;
import java.util.List;

/**
 * One installed flow from a flow-stats reply, with its counters. {@code unknownMatch} and {@code
 * unknownInstructions} hold what the model cannot express; when either is non-empty the flow is
 * <em>not</em> what the switch has, and an auditor must treat it as foreign.
 */
public record FlowEntry(
    Flow flow,
    long packets,
    long bytes,
    long durationSec,
    long durationNsec,
    int flags,
    List<RawField> unknownMatch,
    List<RawInstruction> unknownInstructions) {

  public FlowEntry {
    unknownMatch = List.copyOf(unknownMatch);
    unknownInstructions = List.copyOf(unknownInstructions);
  }

  /** Whether {@link #flow()} is exactly what the switch has installed. */
  public boolean isExact() {
    return unknownMatch.isEmpty()
        && unknownInstructions.isEmpty()
        && flow.actions().stream()
            .noneMatch(a -> a instanceof dev.sluice.compiler.flow.Action.Unknown);
  }
}
