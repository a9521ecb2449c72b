package dev.sluice.controller.api;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Where one event is realized.
 *
 * @param position {@code topic-partition@offset}
 * @param consumed whether the controller consumed it
 * @param affectedNodes the nodes whose flows it changed (null: too old to be remembered, then every
 *     node counts)
 * @param realizedOn affected nodes whose switch acknowledged its flows
 * @param pendingOn affected nodes with a switch (connected or expected) that has not yet
 * @param noSwitch affected nodes no switch is known for: nothing can be realized there
 * @param realized consumed and pending on no node
 */
public record PositionRealization(
    String position,
    boolean consumed,
    @Nullable List<String> affectedNodes,
    List<String> realizedOn,
    List<String> pendingOn,
    List<String> noSwitch,
    boolean realized)
    implements PositionStatus {
  /** Copies the lists. */
  public PositionRealization {
    affectedNodes = affectedNodes == null ? null : List.copyOf(affectedNodes);
    realizedOn = List.copyOf(realizedOn);
    pendingOn = List.copyOf(pendingOn);
    noSwitch = List.copyOf(noSwitch);
  }
}
