package dev.sluice.compiler.flow;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * What it takes to turn one node's flows and groups into others: the one change type of Sluice. The
 * compiler produces it per changed node (tracked changes); the reconciler and {@code sluice push}
 * compute it with {@link #between} (full compare) and send it as one bundle in {@link #bundle()}
 * order.
 *
 * <p>Flows: deletes (by key, strictly), modifies (same key, other actions or timeouts) and adds.
 * Flows equal on both sides are untouched, so a second run against an up-to-date switch is empty.
 * Under OpenFlow 1.1+ OVS keeps a flow's cookie on {@code OFPFC_MODIFY_STRICT} (only the
 * instructions change), so a flow whose cookie changes is an <em>add</em>: {@code OFPFC_ADD}
 * replaces the entry with the same table, priority and match — cookie included — in one message.
 *
 * <p>Lists are sorted (flows by {@link Flow.Key}, groups by id), so equal changes are equal values
 * and a bundle built from them is deterministic.
 *
 * @param flowDeletes installed flows to remove
 * @param flowModifies desired flows whose installed version has the same key and cookie
 * @param flowAdds desired flows not installed, or installed with another cookie
 * @param groupAdds desired groups not installed
 * @param groupModifies desired groups installed with other buckets or type
 * @param groupDeletes installed groups not desired
 */
public record TableChanges(
    List<Flow> flowDeletes,
    List<Flow> flowModifies,
    List<Flow> flowAdds,
    List<Group> groupAdds,
    List<Group> groupModifies,
    List<Group> groupDeletes) {

  /** {@link Flow.Key} order without allocating a key per comparison. */
  private static final Comparator<Flow> BY_KEY =
      (a, b) -> {
        int c = Integer.compare(a.table(), b.table());
        if (c == 0) {
          c = Integer.compare(b.priority(), a.priority());
        }
        return c != 0 ? c : a.match().compareTo(b.match());
      };

  private static final Comparator<Group> BY_ID = Comparator.comparingLong(Group::groupId);

  /** No change. */
  public static final TableChanges NONE =
      new TableChanges(List.of(), List.of(), List.of(), List.of(), List.of(), List.of());

  /** Sorts and copies. */
  public TableChanges {
    flowDeletes = sorted(flowDeletes, BY_KEY);
    flowModifies = sorted(flowModifies, BY_KEY);
    flowAdds = sorted(flowAdds, BY_KEY);
    groupAdds = sorted(groupAdds, BY_ID);
    groupModifies = sorted(groupModifies, BY_ID);
    groupDeletes = sorted(groupDeletes, BY_ID);
  }

  /** Flow changes only. */
  public static TableChanges ofFlows(
      List<Flow> flowDeletes, List<Flow> flowModifies, List<Flow> flowAdds) {
    return new TableChanges(flowDeletes, flowModifies, flowAdds, List.of(), List.of(), List.of());
  }

  /**
   * The full compare: what turns the installed flows and groups into the desired ones.
   *
   * @throws IllegalArgumentException when two flows of one side share a key but differ, or two
   *     groups of one side share an id but differ
   */
  public static TableChanges between(
      Collection<Flow> installedFlows,
      Collection<Group> installedGroups,
      Collection<Flow> desiredFlows,
      Collection<Group> desiredGroups) {
    Map<Flow.Key, Flow> have = index(installedFlows, "installed");
    Map<Flow.Key, Flow> want = index(desiredFlows, "desired");
    List<Flow> deletes = new ArrayList<>();
    List<Flow> modifies = new ArrayList<>();
    List<Flow> adds = new ArrayList<>();
    for (Map.Entry<Flow.Key, Flow> e : have.entrySet()) {
      if (!want.containsKey(e.getKey())) {
        deletes.add(e.getValue());
      }
    }
    for (Map.Entry<Flow.Key, Flow> e : want.entrySet()) {
      Flow old = have.get(e.getKey());
      classify(old, e.getValue(), modifies, adds);
    }
    Map<Long, Group> haveGroups = byId(installedGroups);
    Map<Long, Group> wantGroups = byId(desiredGroups);
    List<Group> groupAdds = new ArrayList<>();
    List<Group> groupModifies = new ArrayList<>();
    List<Group> groupDeletes = new ArrayList<>();
    wantGroups.forEach(
        (id, g) -> {
          Group old = haveGroups.get(id);
          if (old == null) {
            groupAdds.add(g);
          } else if (!old.equals(g)) {
            groupModifies.add(g);
          }
        });
    haveGroups.forEach(
        (id, g) -> {
          if (!wantGroups.containsKey(id)) {
            groupDeletes.add(g);
          }
        });
    return new TableChanges(deletes, modifies, adds, groupAdds, groupModifies, groupDeletes);
  }

  /**
   * The flow changes of a tracked update (the compiler's): {@code removed} holds the old version of
   * every flow that changed or went, {@code added} the new version of every flow that changed or
   * came, each key at most once per list. A key in both is a modify (an add if its cookie changed);
   * in {@code removed} only, a delete; in {@code added} only, an add. Equals {@link #between} of
   * the flows before and after, without comparing the flows that did not change.
   */
  public static TableChanges replacing(Collection<Flow> removed, Collection<Flow> added) {
    Map<Flow.Key, Flow> gone = index(removed, "removed");
    List<Flow> modifies = new ArrayList<>();
    List<Flow> adds = new ArrayList<>();
    for (Flow f : added) {
      classify(gone.remove(f.key()), f, modifies, adds);
    }
    return ofFlows(new ArrayList<>(gone.values()), modifies, adds);
  }

  /**
   * Sorts a desired flow whose key is installed as {@code old} (null: not installed) into {@code
   * modifies} or {@code adds}; equal flows go nowhere. A changed cookie makes an add (see the class
   * comment: OVS keeps the cookie on a modify).
   */
  private static void classify(@Nullable Flow old, Flow now, List<Flow> modifies, List<Flow> adds) {
    if (old == null || old.cookie() != now.cookie()) {
      adds.add(now);
    } else if (!old.equals(now)) {
      modifies.add(now);
    }
  }

  /**
   * The changes in bundle order, the one place that knows it: group adds and modifies first (flows
   * may point at them), then flow deletes, modifies and adds — deletes before adds, so two flows
   * with one key never coexist — and group deletes last (nothing points at them any more).
   */
  public List<TableOp> bundle() {
    List<TableOp> out = new ArrayList<>(size());
    groupAdds.forEach(g -> out.add(new TableOp.GroupAdd(g)));
    groupModifies.forEach(g -> out.add(new TableOp.GroupModify(g)));
    flowDeletes.forEach(f -> out.add(new TableOp.FlowDelete(f)));
    flowModifies.forEach(f -> out.add(new TableOp.FlowModify(f)));
    flowAdds.forEach(f -> out.add(new TableOp.FlowAdd(f)));
    groupDeletes.forEach(g -> out.add(new TableOp.GroupDelete(g)));
    return List.copyOf(out);
  }

  /** Whether nothing changes. */
  public boolean isEmpty() {
    return size() == 0;
  }

  /** Flow-mods and group-mods the changes send. */
  public int size() {
    return flowCount() + groupCount();
  }

  /** Flow-mods (deletes + modifies + adds). */
  public int flowCount() {
    return flowDeletes.size() + flowModifies.size() + flowAdds.size();
  }

  /** Group-mods (adds + modifies + deletes). */
  public int groupCount() {
    return groupAdds.size() + groupModifies.size() + groupDeletes.size();
  }

  private static <T> List<T> sorted(List<T> list, Comparator<? super T> order) {
    for (int i = 1; i < list.size(); i++) {
      if (order.compare(list.get(i - 1), list.get(i)) > 0) {
        List<T> copy = new ArrayList<>(list);
        copy.sort(order);
        return List.copyOf(copy);
      }
    }
    return List.copyOf(list);
  }

  private static Map<Flow.Key, Flow> index(Collection<Flow> flows, String what) {
    Map<Flow.Key, Flow> map = new HashMap<>(flows.size() * 2);
    for (Flow f : flows) {
      Flow prev = map.put(f.key(), f);
      if (prev != null && !prev.equals(f)) {
        throw new IllegalArgumentException(
            "two "
                + what
                + " flows share table, priority and match but differ: '"
                + prev
                + "' and '"
                + f
                + "'");
      }
    }
    return map;
  }

  private static Map<Long, Group> byId(Collection<Group> groups) {
    Map<Long, Group> m = new TreeMap<>();
    for (Group g : groups) {
      Group prev = m.put(g.groupId(), g);
      if (prev != null && !prev.equals(g)) {
        throw new IllegalArgumentException("two groups with group_id=" + g.groupId());
      }
    }
    return m;
  }
}
