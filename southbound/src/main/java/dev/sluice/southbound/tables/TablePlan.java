package dev.sluice.southbound.tables;

import dev.sluice.compiler.flow.Flow;
import dev.sluice.compiler.flow.FlowSetDiff;
import dev.sluice.compiler.flow.Group;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The changes that take a switch from {@link Installed} to a desired set of flows and groups.
 *
 * <p>Bundle order (see {@link #messages}): group adds and modifies first (flows may point at them),
 * then flow deletes, modifies and adds, then group deletes (nothing points at them any more).
 */
public record TablePlan(
    FlowSetDiff flows, List<Group> groupAdds, List<Group> groupModifies, List<Group> groupDeletes) {

  public TablePlan {
    groupAdds = List.copyOf(groupAdds);
    groupModifies = List.copyOf(groupModifies);
    groupDeletes = List.copyOf(groupDeletes);
  }

  /** What turns {@code installed} into {@code desiredFlows} and {@code desiredGroups}. */
  public static TablePlan between(
      Installed installed, Collection<Flow> desiredFlows, Collection<Group> desiredGroups) {
    FlowSetDiff flows = FlowSetDiff.between(installed.flows(), desiredFlows);
    Map<Long, Group> have = byId(installed.groups());
    Map<Long, Group> want = byId(desiredGroups);
    List<Group> adds = new ArrayList<>();
    List<Group> modifies = new ArrayList<>();
    List<Group> deletes = new ArrayList<>();
    want.forEach(
        (id, g) -> {
          Group old = have.get(id);
          if (old == null) {
            adds.add(g);
          } else if (!old.equals(g)) {
            modifies.add(g);
          }
        });
    have.forEach(
        (id, g) -> {
          if (!want.containsKey(id)) {
            deletes.add(g);
          }
        });
    return new TablePlan(flows, adds, modifies, deletes);
  }

  public boolean isEmpty() {
    return flows.isEmpty()
        && groupAdds.isEmpty()
        && groupModifies.isEmpty()
        && groupDeletes.isEmpty();
  }

  /** Number of flow-mods and group-mods the plan sends. */
  public int size() {
    return flows.size() + groupAdds.size() + groupModifies.size() + groupDeletes.size();
  }

  private static Map<Long, Group> byId(Collection<Group> groups) {
    Map<Long, Group> m = new TreeMap<>(Comparator.naturalOrder());
    for (Group g : groups) {
      Group prev = m.put(g.groupId(), g);
      if (prev != null && !prev.equals(g)) {
        throw new IllegalArgumentException("two groups with group_id=" + g.groupId());
      }
    }
    return m;
  }
}
