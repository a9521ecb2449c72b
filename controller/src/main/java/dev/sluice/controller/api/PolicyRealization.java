package dev.sluice.controller.api;

import java.util.List;

/**
 * One NetworkPolicy's current generation and the nodes it is realized on.
 *
 * @param policy {@code namespace/name}
 * @param generation its generation
 * @param realizedOn the nodes it is realized on, sorted
 * @param realizedNodes how many
 * @param totalNodes of how many nodes
 */
public record PolicyRealization(
    String policy, long generation, List<String> realizedOn, int realizedNodes, int totalNodes) {
  /** Copies the list. */
  public PolicyRealization {
    realizedOn = List.copyOf(realizedOn);
  }
}
