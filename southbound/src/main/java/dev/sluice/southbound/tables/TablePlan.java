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
 *
 * <p>Under OpenFlow 1.1+ OVS keeps a flow's cookie on {@code OFPFC_MODIFY_STRICT} (only the
 * instructions change), so a flow whose cookie changes is sent as an {@code OFPFC_ADD}, which
 * replaces the entry with the same table, priority and match — cookie included — in one message.
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
    return between(installed.flows(), installed.groups(), desiredFlows, desiredGroups);
  }

  /** What turns the installed flows and groups into the desired ones. */
  public static TablePlan between(
      Collection<Flow> installedFlows,
      Collection<Group> installedGroups,
      Collection<Flow> desiredFlows,
      Collection<Group> desiredGroups) {
    FlowSetDiff flows =
        cookieSafe(FlowSetDiff.between(installedFlows, desiredFlows), installedFlows);
    Map<Long, Group> have = byId(installedGroups);
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

  /** Moves modifies that change the cookie to adds (OVS keeps the cookie on a modify). */
  static FlowSetDiff cookieSafe(FlowSetDiff diff, Collection<Flow> installed) {
    if (diff.modifies().isEmpty()) {
      return diff;
    }
    Map<Flow.Key, Long> cookies = new java.util.HashMap<>();
    for (Flow f : installed) {
      cookies.put(f.key(), f.cookie());
    }
    List<Flow> modifies = new ArrayList<>();
    List<Flow> adds = new ArrayList<>(diff.adds());
    for (Flow f : diff.modifies()) {
      Long old = cookies.get(f.key());
      if (old != null && old != f.cookie()) {
        adds.add(f);
      } else {
        modifies.add(f);
      }
    }
    if (modifies.size() == diff.modifies().size()) {
      return diff;
    }
    adds.sort(Comparator.comparing(Flow::key));
    return new FlowSetDiff(diff.deletes(), modifies, adds);
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
