package dev.sluice.compiler.compile;

import dev.sluice.compiler.flow.Flow;
import java.util.List;

/**
 * What changed on one node: flows to remove and flows to add, each sorted by {@link Flow#key()}. A
 * flow whose actions or cookie changed appears in both (its old version removed, the new added);
 * the reconciler turns such pairs into modify messages.
 *
 * @param added flows to install
 * @param removed flows to delete
 */
public record FlowDiff(List<Flow> added, List<Flow> removed) {
  /** Copies the lists. */
  public FlowDiff {
    added = List.copyOf(added);
    removed = List.copyOf(removed);
  }

  /** No change. */
  public static final FlowDiff EMPTY = new FlowDiff(List.of(), List.of());

  /** Whether nothing changed. */
  public boolean isEmpty() {
    return added.isEmpty() && removed.isEmpty();
  }
}
