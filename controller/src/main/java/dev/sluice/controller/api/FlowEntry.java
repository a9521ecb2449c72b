package dev.sluice.controller.api;

import java.util.List;

/**
 * One flow with its provenance.
 *
 * @param table its table
 * @param priority its priority
 * @param cookie its cookie, {@code 0x...}
 * @param flow the flow in {@code ovs-ofctl} text
 * @param origins what produced it (empty: a foreign cookie, or an object Sluice no longer has)
 */
public record FlowEntry(
    int table, int priority, String cookie, String flow, List<FlowOrigin> origins) {
  /** Copies the list. */
  public FlowEntry {
    origins = List.copyOf(origins);
  }
}
