package dev.sluice.controller.api;

import java.util.List;

/**
 * The NetworkPolicy rule a flow comes from.
 *
 * @param direction {@code ingress} or {@code egress}
 * @param index the rule's index in the policy
 * @param conjId the rule's conjunction id
 * @param portGroup the port group of the rule's clause flows
 * @param clauses the rule's clauses ({@code from}, {@code to}, {@code services})
 */
public record OriginRule(
    String direction, int index, long conjId, String portGroup, List<String> clauses) {
  /** Copies the list. */
  public OriginRule {
    clauses = List.copyOf(clauses);
  }
}
