package dev.sluice.compiler.compile;

import dev.sluice.compiler.flow.Flow;
import dev.sluice.compiler.flow.TableChanges;
import dev.sluice.compiler.pipeline.Table;
import java.util.AbstractCollection;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;

/**
 * The desired flows of every node: what each {@link Unit} contributes, the merge of all
 * contributions per (table, priority, match), and the changes made since the last {@link #finish}.
 *
 * <pre>
 *  units (features)        contributions              merged node table        tracked changes
 *  pod:ns/a  ───────┐      node N:                    node N:                  node N:
 *  iso:ns/a  ───────┼────▶ key k1 → {pod:ns/a: f}  ─▶ k1 → f                   key → merged flow
 *  rule:ns/p/in/0 ──┤      key k2 → {rule:…/0: c0, ─▶ k2 → merge(c0, c1)       before the round
 *  rule:ns/q/in/0 ──┘                rule:…/0: c1}    (rule tables tiered when  ──▶ finish():
 *                          (per unit: its flows         a flow exceeds a         TableChanges
 *                           per node, to undo)          message)                 per node
 * </pre>
 *
 * A unit is replaced as a whole ({@link #replace}) or, for the pod-patch fast path, edited one flow
 * at a time ({@link #addFlow}, {@link #removeFlow}). Either way every key it touches is recorded
 * with its merged flow before the change; {@link #finish} re-merges only those keys and turns each
 * node's old and new versions of them into its {@link TableChanges} ({@link TableChanges#replacing}
 * classifies them into deletes, modifies and adds, with the cookie rule), without comparing the
 * node's untouched flows. The sorted {@link NodeFlows} of a node is built once and then patched
 * with each diff.
 */
final class DesiredFlowTable {
  private final CompilerConfig config;

  /** Unit → node → its flows there (what replacing the unit must take back). */
  private final HashMap<Unit, Map<String, Collection<Flow>>> unitFlows = new HashMap<>();

  private final TreeMap<String, NodeTable> tables = new TreeMap<>();
  private final HashMap<String, NodeFlows> cache = new HashMap<>();
  private Touch touch = new Touch();

  DesiredFlowTable(CompilerConfig config) {
    this.config = config;
  }

  /** Nodes that have flows. */
  Set<String> nodes() {
    return tables.keySet();
  }

  /** Every unit with its flows per node, in unit order (provenance). */
  void forEachUnit(BiConsumer<Unit, Map<String, Collection<Flow>>> action) {
    new TreeMap<>(unitFlows).forEach(action);
  }

  /** Whether {@code unit} has flows on {@code node}. */
  Collection<String> nodesOf(Unit unit) {
    Map<String, Collection<Flow>> stored = unitFlows.get(unit);
    return stored == null ? List.of() : List.copyOf(stored.keySet());
  }

  /** Replaces the flows of {@code unit} by {@code now} (node → flows). */
  void replace(Unit unit, Map<String, List<Flow>> now) {
    Map<String, Collection<Flow>> old = unitFlows.remove(unit);
    if (old != null) {
      old.forEach(
          (node, flows) -> {
            NodeTable t = tables.get(node);
            if (t == null) {
              return;
            }
            for (Flow f : flows) {
              touch.see(node, f.key(), t);
              HashMap<Unit, Flow> c = t.contrib.get(f.key());
              if (c != null) {
                c.remove(unit);
                if (c.isEmpty()) {
                  t.contrib.remove(f.key());
                }
              }
            }
          });
    }
    if (now.isEmpty()) {
      return;
    }
    Map<String, Collection<Flow>> stored = new TreeMap<>();
    now.forEach(
        (node, flows) -> {
          if (flows.isEmpty()) {
            return;
          }
          NodeTable t = tables.computeIfAbsent(node, k -> new NodeTable());
          LinkedHashMap<Flow.Key, Flow> own = new LinkedHashMap<>();
          for (Flow f : flows) {
            own.merge(f.key(), f, FlowMerger::merge);
          }
          for (Flow f : own.values()) {
            touch.see(node, f.key(), t);
            t.contrib.computeIfAbsent(f.key(), k -> new HashMap<>(2)).put(unit, f);
          }
          stored.put(node, List.copyOf(own.values()));
        });
    unitFlows.put(unit, stored);
  }

  /**
   * Merges the touched keys into the node tables (and re-tiers rule tables); with {@code
   * wantDiffs}, also returns what changed per node (a cold compile does not need it: sorting a
   * million added flows was most of its cost).
   */
  Map<String, TableChanges> finish(boolean wantDiffs) {
    Touch touch = this.touch;
    this.touch = new Touch();
    Map<String, TableChanges> diffs = new TreeMap<>();
    for (Map.Entry<String, Map<Flow.Key, Optional<Flow>>> e : touch.seen.entrySet()) {
      String node = e.getKey();
      NodeTable t = tables.get(node);
      if (t == null) {
        continue;
      }
      NodeFlows before = cache.remove(node);
      List<Flow> added = new ArrayList<>();
      List<Flow> removed = new ArrayList<>();
      Set<Integer> policyTables = new TreeSet<>();
      for (Map.Entry<Flow.Key, Optional<Flow>> k : e.getValue().entrySet()) {
        Flow.Key key = k.getKey();
        HashMap<Unit, Flow> c = t.contrib.get(key);
        Flow now = c == null ? null : FlowMerger.mergeContributions(c);
        if (now == null) {
          t.merged.remove(key);
        } else {
          t.merged.put(key, now);
        }
        if (isRuleTable(key.table())) {
          policyTables.add(key.table());
          continue;
        }
        Flow old = k.getValue().orElse(null);
        if (!Objects.equals(old, now)) {
          if (old != null) {
            removed.add(old);
          }
          if (now != null) {
            added.add(now);
          }
        }
      }
      for (int table : policyTables) {
        List<Flow> oldView = t.views.get(table);
        boolean needTier = oldView != null;
        if (!needTier) {
          for (Map.Entry<Flow.Key, Optional<Flow>> k : e.getValue().entrySet()) {
            Flow f = t.merged.get(k.getKey());
            if (k.getKey().table() == table
                && f != null
                && FlowMerger.estimateBytes(f) > config.maxMessageBytes()) {
              needTier = true;
              break;
            }
          }
        }
        if (!needTier) {
          for (Map.Entry<Flow.Key, Optional<Flow>> k : e.getValue().entrySet()) {
            if (k.getKey().table() != table) {
              continue;
            }
            Flow old = k.getValue().orElse(null);
            Flow now = t.merged.get(k.getKey());
            if (!Objects.equals(old, now)) {
              if (old != null) {
                removed.add(old);
              }
              if (now != null) {
                added.add(now);
              }
            }
          }
          continue;
        }
        if (oldView == null) {
          // Reconstruct the untiered table before this change.
          TreeMap<Flow.Key, Flow> untiered = t.merged.sorted(table);
          for (Map.Entry<Flow.Key, Optional<Flow>> k : e.getValue().entrySet()) {
            if (k.getKey().table() == table) {
              if (k.getValue().isPresent()) {
                untiered.put(k.getKey(), k.getValue().get());
              } else {
                untiered.remove(k.getKey());
              }
            }
          }
          oldView = List.copyOf(untiered.values());
        }
        List<Flow> sortedTable = List.copyOf(t.merged.sorted(table).values());
        List<Flow> newView =
            FlowMerger.tier(
                sortedTable, NetworkPolicyCompiler.PRIORITY_CLAUSE, config.maxMessageBytes());
        boolean tiered = !newView.equals(sortedTable);
        if (tiered) {
          t.views.put(table, newView);
        } else {
          t.views.remove(table);
        }
        Set<Flow> o = new HashSet<>(oldView);
        Set<Flow> n = new HashSet<>(newView);
        for (Flow f : oldView) {
          if (!n.contains(f)) {
            removed.add(f);
          }
        }
        for (Flow f : newView) {
          if (!o.contains(f)) {
            added.add(f);
          }
        }
      }
      if (wantDiffs && (!added.isEmpty() || !removed.isEmpty())) {
        added.sort(BY_KEY);
        removed.sort(BY_KEY);
        // The compiler emits no groups yet (Services are kube-proxy mode: NodeFlows.groups() is
        // empty), so only flows are tracked. When groups come, a node's group set is small:
        // compare the touched node's groups before and after here (TableChanges.between).
        diffs.put(node, TableChanges.replacing(removed, added));
      }
      if (t.contrib.isEmpty()) {
        tables.remove(node);
      } else if (before != null && wantDiffs) {
        // added/removed are exactly what changed in the node's output: patch the sorted list
        // (O(n)) instead of re-sorting every flow of the node by match text.
        cache.put(
            node, added.isEmpty() && removed.isEmpty() ? before : patch(before, added, removed));
      }
    }
    return diffs;
  }

  /** {@link Flow.Key} order without allocating a key per comparison. */
  static final Comparator<Flow> BY_KEY =
      (a, b) -> {
        int c = Integer.compare(a.table(), b.table());
        if (c == 0) {
          c = Integer.compare(b.priority(), a.priority());
        }
        return c != 0 ? c : a.match().compareTo(b.match());
      };

  private static boolean isRuleTable(int table) {
    return table == Table.EGRESS_RULE.id() || table == Table.INGRESS_RULE.id();
  }

  /** {@code before} without {@code removed}, with {@code added} (sorted by key) merged in. */
  private static NodeFlows patch(NodeFlows before, List<Flow> added, List<Flow> removed) {
    Set<Flow> gone = new HashSet<>(removed);
    List<Flow> out = new ArrayList<>(before.flows().size() + added.size());
    int i = 0;
    for (Flow f : before.flows()) {
      if (gone.contains(f)) {
        continue;
      }
      while (i < added.size() && BY_KEY.compare(added.get(i), f) < 0) {
        out.add(added.get(i++));
      }
      out.add(f);
    }
    while (i < added.size()) {
      out.add(added.get(i++));
    }
    return new NodeFlows(before.node(), out, before.groups());
  }

  NodeFlows nodeFlows(String node) {
    NodeFlows cached = cache.get(node);
    if (cached != null) {
      return cached;
    }
    NodeTable t = tables.get(node);
    if (t == null) {
      return new NodeFlows(node, List.of(), List.of());
    }
    List<Flow> flows = new ArrayList<>();
    for (Flow f : t.merged.values()) {
      if (!t.views.containsKey(f.table())) {
        flows.add(f);
      }
    }
    t.views.values().forEach(flows::addAll);
    NodeFlows nf = new NodeFlows(node, flows, List.of());
    cache.put(node, nf);
    return nf;
  }

  /**
   * Adds {@code f} to the flows of {@code unit} on {@code node} (the unit must have flows there).
   */
  void addFlow(Unit unit, String node, Flow f) {
    KeyedFlows kf = keyed(unit, node);
    NodeTable t = Objects.requireNonNull(tables.get(node));
    Flow.Key key = f.key();
    touch.see(node, key, t);
    if (kf.byKey.putIfAbsent(key, f) != null) {
      throw new IllegalStateException("patching " + unit + ": " + f + " already there");
    }
    t.contrib.computeIfAbsent(key, k -> new HashMap<>(2)).put(unit, f);
  }

  /** Removes {@code f} from the flows of {@code unit} on {@code node}. */
  void removeFlow(Unit unit, String node, Flow f) {
    KeyedFlows kf = keyed(unit, node);
    NodeTable t = Objects.requireNonNull(tables.get(node));
    Flow.Key key = f.key();
    touch.see(node, key, t);
    if (kf.byKey.remove(key) == null) {
      throw new IllegalStateException("patching " + unit + ": no " + f);
    }
    HashMap<Unit, Flow> cm = t.contrib.get(key);
    if (cm != null) {
      cm.remove(unit);
      if (cm.isEmpty()) {
        t.contrib.remove(key);
      }
    }
  }

  private KeyedFlows keyed(Unit unit, String node) {
    Map<String, Collection<Flow>> stored = unitFlows.get(unit);
    Collection<Flow> c = stored == null ? null : stored.get(node);
    if (c == null) {
      throw new IllegalStateException("patching " + unit + " on " + node + ": no flows");
    }
    if (c instanceof KeyedFlows k) {
      return k;
    }
    KeyedFlows kf = new KeyedFlows(c);
    stored.put(node, kf);
    return kf;
  }

  /** The keys whose merged flow may change, with their merged flow before the change. */
  private static final class Touch {
    final TreeMap<String, Map<Flow.Key, Optional<Flow>>> seen = new TreeMap<>();

    void see(String node, Flow.Key key, NodeTable t) {
      seen.computeIfAbsent(node, k -> new HashMap<>())
          .computeIfAbsent(key, k -> Optional.ofNullable(t.merged.get(key)));
    }
  }

  /** One node's contributions, merged flows and split (tiered) rule tables. */
  private static final class NodeTable {
    /**
     * Flow key → contributing unit → its flow. Unordered: the merge needs only the smallest unit id
     * ({@link FlowMerger#mergeContributions}), and hashing beats a sorted map of thousands of units
     * under a shared clause flow.
     */
    final HashMap<Flow.Key, HashMap<Unit, Flow>> contrib = new HashMap<>();

    final MergedFlows merged = new MergedFlows();
    final TreeMap<Integer, List<Flow>> views = new TreeMap<>();
  }

  /**
   * Merged flows by key, hashed per table. Sorted by key only where order matters (tiering a rule
   * table, and {@link NodeFlows}): a sorted map ordered by match text made every get/put a chain of
   * string comparisons, most of an incremental recompile of a 200k-flow node.
   */
  private static final class MergedFlows {
    private final HashMap<Integer, HashMap<Flow.Key, Flow>> byTable = new HashMap<>();

    @Nullable Flow get(Flow.Key key) {
      HashMap<Flow.Key, Flow> m = byTable.get(key.table());
      return m == null ? null : m.get(key);
    }

    void put(Flow.Key key, Flow f) {
      byTable.computeIfAbsent(key.table(), k -> new HashMap<>()).put(key, f);
    }

    void remove(Flow.Key key) {
      HashMap<Flow.Key, Flow> m = byTable.get(key.table());
      if (m != null && m.remove(key) != null && m.isEmpty()) {
        byTable.remove(key.table());
      }
    }

    /** One table, sorted by key. */
    TreeMap<Flow.Key, Flow> sorted(int table) {
      return new TreeMap<>(byTable.getOrDefault(table, new HashMap<>()));
    }

    /** Every flow, in no particular order. */
    List<Flow> values() {
      List<Flow> out = new ArrayList<>();
      byTable.values().forEach(m -> out.addAll(m.values()));
      return out;
    }
  }

  /**
   * A rule unit's flows on one node, by key: what a stored list becomes once a rule is patched (one
   * peer or applied-to clause flow added or removed in O(1) instead of re-emitting the rule).
   */
  private static final class KeyedFlows extends AbstractCollection<Flow> {
    final LinkedHashMap<Flow.Key, Flow> byKey = new LinkedHashMap<>();

    KeyedFlows(Collection<Flow> flows) {
      for (Flow f : flows) {
        byKey.put(f.key(), f);
      }
    }

    @Override
    public Iterator<Flow> iterator() {
      return Collections.unmodifiableCollection(byKey.values()).iterator();
    }

    @Override
    public int size() {
      return byKey.size();
    }
  }
}
