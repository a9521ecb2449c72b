package dev.sluice.compiler.flow;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What it takes to turn one set of flows into another: flows to add, flows to delete (by key,
 * strictly), and flows whose key stays but whose actions, cookie or timeouts change (a strict
 * modify replaces actions and cookie in one message). Flows equal in both sets are untouched, so a
 * second run against an up-to-date switch is empty.
 *
 * <p>Lists are sorted by {@link Flow.Key} so a bundle built from them is deterministic; deletes
 * come first, then modifies, then adds, which never lets two flows with the same key coexist.
 */
public record FlowSetDiff(List<Flow> deletes, List<Flow> modifies, List<Flow> adds) {
  private static final Comparator<Flow> BY_KEY = Comparator.comparing(Flow::key);

  public FlowSetDiff {
    deletes = List.copyOf(deletes);
    modifies = List.copyOf(modifies);
    adds = List.copyOf(adds);
  }

  /** The changes that turn {@code installed} into {@code desired}. */
  public static FlowSetDiff between(Collection<Flow> installed, Collection<Flow> desired) {
    Map<Flow.Key, Flow> have = index(installed, "installed");
    Map<Flow.Key, Flow> want = index(desired, "desired");
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
      if (old == null) {
        adds.add(e.getValue());
      } else if (!old.equals(e.getValue())) {
        modifies.add(e.getValue());
      }
    }
    deletes.sort(BY_KEY);
    modifies.sort(BY_KEY);
    adds.sort(BY_KEY);
    return new FlowSetDiff(deletes, modifies, adds);
  }

  public boolean isEmpty() {
    return deletes.isEmpty() && modifies.isEmpty() && adds.isEmpty();
  }

  public int size() {
    return deletes.size() + modifies.size() + adds.size();
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
}
