package dev.sluice.compiler.compile;

import dev.sluice.compiler.flow.Flow;
import dev.sluice.compiler.flow.FlowText;
import dev.sluice.compiler.flow.Group;
import dev.sluice.compiler.flow.PortNames;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The desired tables of one node: flows sorted by (table, priority descending, match text), groups
 * by id. Immutable; equal inputs give equal (and byte-identical when printed) instances.
 *
 * @param node the node name
 * @param flows the flows, sorted by {@link Flow#key()}
 * @param groups the groups, sorted by id (none in kube-proxy mode)
 */
public record NodeFlows(String node, List<Flow> flows, List<Group> groups) {

  /** Sorts and copies. */
  public NodeFlows {
    List<Flow> f = new ArrayList<>(flows);
    f.sort(
        (a, b) -> {
          // Flow.Key order, without allocating two keys per comparison.
          int c = Integer.compare(a.table(), b.table());
          if (c == 0) {
            c = Integer.compare(b.priority(), a.priority());
          }
          return c != 0 ? c : a.match().compareTo(b.match());
        });
    flows = List.copyOf(f);
    List<Group> g = new ArrayList<>(groups);
    g.sort(Comparator.comparingLong(Group::groupId));
    groups = List.copyOf(g);
  }

  /** The flows of one table. */
  public List<Flow> table(int table) {
    return flows.stream().filter(f -> f.table() == table).toList();
  }

  /** {@code add-flows} text, one flow per line. */
  public String format(PortNames ports, FlowText.Style style) {
    StringBuilder sb = new StringBuilder();
    for (Flow f : flows) {
      sb.append(FlowText.formatForAdd(f, ports, style)).append('\n');
    }
    return sb.toString();
  }
}
