package dev.sluice.controller.api;

import java.util.List;

/**
 * A node's flows ({@code GET /api/v1/nodes/NAME/flows}), those the filters kept.
 *
 * @param node the node
 * @param view {@code desired} or {@code installed} (read from the switch now)
 * @param count flows shown
 * @param total flows in the view before filtering
 * @param flows the flows shown, as {@code ovs-ofctl add-flow} lines
 * @param entries the same flows, each with its provenance
 */
public record FlowsView(
    String node, String view, int count, int total, List<String> flows, List<FlowEntry> entries) {
  /** Checks the counts and copies the lists. */
  public FlowsView {
    if (count != flows.size() || count != entries.size() || total < count) {
      throw new IllegalArgumentException(
          "flows: count " + count + " of " + total + " but " + flows.size() + " flows");
    }
    flows = List.copyOf(flows);
    entries = List.copyOf(entries);
  }
}
