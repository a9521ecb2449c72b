package dev.sluice.controller.runtime;

import dev.sluice.controller.events.EventPosition;
import java.util.Set;

/**
 * Timestamps of the controller's stages, for benchmark harnesses ({@link
 * Controller#probe(ControllerProbe)}). Times are {@link System#nanoTime()}. Callbacks run on the
 * controller's threads and must return quickly.
 */
public interface ControllerProbe {
  /** Does nothing. */
  ControllerProbe NONE = new ControllerProbe() {};

  /**
   * The state thread applied an event as state version {@code seq}, changing the flows of {@code
   * nodes}: started at {@code start}, compiled at {@code compiled}, new desired snapshots published
   * (reconcilers marked dirty) at {@code published}. A rejected event has {@code seq} -1.
   */
  default void applied(
      EventPosition position,
      long seq,
      Set<String> nodes,
      long start,
      long compiled,
      long published) {}

  /**
   * The state thread recompiled {@code node} because its switch reported other ports (connection or
   * PORT_STATUS), from {@code start} to {@code end}.
   */
  default void portsRefreshed(String node, long start, long end) {}

  /**
   * A node's switch acknowledged the snapshot of state version {@code seq}: the round started at
   * {@code start}, its plan was ready at {@code planned} (bundle sent from then on), and the
   * commit's barrier reply arrived at {@code acked}. {@code flowMods} is 0 for a round that sent
   * nothing.
   */
  default void acked(String node, long seq, long start, long planned, long acked, int flowMods) {}
}
