package dev.sluice.compiler.compile;

import dev.sluice.compiler.flow.Action;
import dev.sluice.compiler.flow.FieldMatch;
import dev.sluice.compiler.flow.Flow;
import dev.sluice.compiler.pipeline.Cookie;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Merges the flows several objects want under one (table, priority, match) and splits flows too
 * large for one OpenFlow message.
 *
 * <p><b>Merging.</b> Conjunctive clause flows with an identical key are shared by all rules (OVN
 * and Antrea do the same): one flow carrying every {@code conjunction()} action, sorted by (id,
 * clause); its cookie's object id is the smallest conj_id. Any other flows wanted under one key
 * must be identical except for the cookie; the one of the first contributor (in contributor-id
 * order) wins, so the result never depends on the order of changes.
 *
 * <p><b>Splitting.</b> A flow_mod is at most 65,535 bytes; a clause flow shared by thousands of
 * rules would exceed it (16 bytes per conjunction action). Two flows cannot share a key and
 * conjunctions combine clauses of one priority only, so {@link #tier} moves whole rules: the
 * conj_ids that do not fit are given the next lower priority (199, 198, …, at most {@value
 * #MAX_TIERS} tiers, all above the conj_id flows at 190), together with every clause flow of theirs
 * in that table. OVS evaluates conjunctions per priority and falls through to lower priorities when
 * none completes, so the allowed set is unchanged.
 */
final class FlowMerger {
  private FlowMerger() {}

  /** Tiers below the clause priority 200 that splitting may use (200..192; 190 = conj_id). */
  public static final int MAX_TIERS = 9;

  /** Merges two flows with the same key (see class doc). */
  public static Flow merge(Flow a, Flow b) {
    if (isConjunctive(a) && isConjunctive(b)) {
      return mergeConjunctions(a, b);
    }
    return a;
  }

  /**
   * Merges contributions in contributor order: the same result as folding {@link #merge(Flow,
   * Flow)} over {@code parts}, in O(n log n) — a clause flow shared by thousands of rules has
   * thousands of contributions, and a pairwise fold re-sorts the growing action set each time
   * (quadratic).
   */
  public static Flow merge(Collection<Flow> parts) {
    Iterator<Flow> it = parts.iterator();
    if (!it.hasNext()) {
      throw new IllegalArgumentException("nothing to merge");
    }
    Flow first = it.next();
    if (!isConjunctive(first)) {
      return first; // a non-conjunctive first contribution wins (see merge(Flow, Flow))
    }
    List<Action.Conjunction> all = null;
    while (it.hasNext()) {
      all = addIfConjunctive(all, first, it.next());
    }
    return all == null ? first : withConjunctions(first, all);
  }

  /**
   * Merges contributions keyed by contributor id in contributor-id order: the same result as {@link
   * #merge(Collection)} over the values sorted by key, without sorting them (only the first
   * contributor is order-sensitive).
   */
  static <K extends Comparable<? super K>> Flow mergeContributions(Map<K, Flow> byContributor) {
    K firstId = null;
    for (K id : byContributor.keySet()) {
      if (firstId == null || id.compareTo(firstId) < 0) {
        firstId = id;
      }
    }
    if (firstId == null) {
      throw new IllegalArgumentException("nothing to merge");
    }
    Flow first = byContributor.get(firstId);
    if (!isConjunctive(first)) {
      return first;
    }
    List<Action.Conjunction> all = null;
    for (Map.Entry<K, Flow> e : byContributor.entrySet()) {
      if (!e.getKey().equals(firstId)) {
        all = addIfConjunctive(all, first, e.getValue());
      }
    }
    return all == null ? first : withConjunctions(first, all);
  }

  private static @Nullable List<Action.Conjunction> addIfConjunctive(
      @Nullable List<Action.Conjunction> all, Flow first, Flow f) {
    if (!isConjunctive(f)) {
      return all;
    }
    List<Action.Conjunction> out = all;
    if (out == null) {
      out = new ArrayList<>();
      addConjunctions(out, first);
    }
    addConjunctions(out, f);
    return out;
  }

  private static void addConjunctions(List<Action.Conjunction> out, Flow f) {
    for (Action x : f.actions()) {
      out.add((Action.Conjunction) x);
    }
  }

  /** {@code base} carrying the sorted, de-duplicated {@code conjs}; cookie of the smallest id. */
  private static Flow withConjunctions(Flow base, List<Action.Conjunction> conjs) {
    conjs.sort(CONJ_ORDER);
    List<Action> actions = new ArrayList<>(conjs.size());
    Action.Conjunction prev = null;
    for (Action.Conjunction c : conjs) {
      if (prev == null || CONJ_ORDER.compare(prev, c) != 0) {
        actions.add(c);
        prev = c;
      }
    }
    long minId = conjs.get(0).id();
    long cookie = (base.cookie() & ~Cookie.OBJECT_MASK) | (minId & Cookie.OBJECT_MASK);
    return base.withActions(actions).withCookie(cookie);
  }

  static boolean isConjunctive(Flow f) {
    List<Action> actions = f.actions();
    if (actions.isEmpty()) {
      return false;
    }
    for (Action a : actions) {
      if (!(a instanceof Action.Conjunction)) {
        return false;
      }
    }
    return true;
  }

  /** Union of the conjunction actions of two clause flows, sorted; cookie of the smallest id. */
  static Flow mergeConjunctions(Flow a, Flow b) {
    List<Action.Conjunction> all = new ArrayList<>(a.actions().size() + b.actions().size());
    addConjunctions(all, a);
    addConjunctions(all, b);
    return withConjunctions(a, all);
  }

  /** (id, clause, clauses); written out, as it sorts thousands of actions per shared flow. */
  static final Comparator<Action.Conjunction> CONJ_ORDER =
      (a, b) -> {
        int c = Long.compare(a.id(), b.id());
        if (c == 0) {
          c = Integer.compare(a.clause(), b.clause());
        }
        return c != 0 ? c : Integer.compare(a.clauses(), b.clauses());
      };

  /**
   * An upper bound of the OpenFlow 1.3 flow_mod size of {@code f}: 48 bytes of header and fixed
   * fields, the OXM/NXM match padded to 8 (each field counted with a mask), 8 bytes of
   * apply-actions instruction, 16 bytes per conjunction and 32 per other action.
   */
  public static int estimateBytes(Flow f) {
    int match = 4;
    for (FieldMatch m : f.match().fields()) {
      match += 4 + 2 * ((m.field().bits() + 7) / 8);
    }
    match = (match + 7) & ~7;
    int actions = 0;
    for (Action a : f.actions()) {
      actions += a instanceof Action.Conjunction ? 16 : 32;
    }
    return 48 + match + 8 + actions;
  }

  /**
   * The flows of one table as installed: identical to {@code flows} unless a clause flow at {@code
   * clausePriority} exceeds {@code maxBytes}, in which case conj_ids are moved to lower priority
   * tiers (see class doc). Deterministic: smaller conj_ids stay higher.
   */
  public static List<Flow> tier(List<Flow> flows, int clausePriority, int maxBytes) {
    boolean over = false;
    for (Flow f : flows) {
      if (f.priority() == clausePriority && isConjunctive(f) && estimateBytes(f) > maxBytes) {
        over = true;
        break;
      }
    }
    if (!over) {
      return flows;
    }
    List<Flow> clauses = new ArrayList<>();
    List<Flow> out = new ArrayList<>();
    for (Flow f : flows) {
      if (f.priority() == clausePriority && isConjunctive(f)) {
        clauses.add(f);
      } else {
        out.add(f);
      }
    }
    Map<Long, Integer> tierOf = new HashMap<>();
    boolean changed = true;
    while (changed) {
      changed = false;
      for (Flow f : clauses) {
        // Per tier, the actions this flow would carry there.
        TreeMap<Integer, List<Action.Conjunction>> byTier = new TreeMap<>();
        for (Action a : f.actions()) {
          Action.Conjunction c = (Action.Conjunction) a;
          byTier.computeIfAbsent(tierOf.getOrDefault(c.id(), 0), k -> new ArrayList<>()).add(c);
        }
        int capacity = Math.max(1, (maxBytes - estimateBytes(f.withActions(List.of()))) / 16);
        for (Map.Entry<Integer, List<Action.Conjunction>> e : byTier.entrySet()) {
          List<Action.Conjunction> cs = e.getValue();
          if (cs.size() > capacity) {
            for (Action.Conjunction c : cs.subList(capacity, cs.size())) {
              int t = e.getKey() + 1;
              if (t >= MAX_TIERS) {
                throw new IllegalStateException(
                    "clause flow "
                        + f.key()
                        + " needs more than "
                        + MAX_TIERS
                        + " priority tiers to fit in "
                        + maxBytes
                        + " bytes");
              }
              if (tierOf.getOrDefault(c.id(), 0) < t) {
                tierOf.put(c.id(), t);
                changed = true;
              }
            }
            break; // re-evaluate from scratch with the new tiers
          }
        }
        if (changed) {
          break;
        }
      }
    }
    for (Flow f : clauses) {
      TreeMap<Integer, List<Action>> byTier = new TreeMap<>();
      for (Action a : f.actions()) {
        Action.Conjunction c = (Action.Conjunction) a;
        byTier.computeIfAbsent(tierOf.getOrDefault(c.id(), 0), k -> new ArrayList<>()).add(c);
      }
      byTier.forEach(
          (t, acts) -> {
            long minId = ((Action.Conjunction) acts.get(0)).id();
            long cookie = (f.cookie() & ~Cookie.OBJECT_MASK) | (minId & Cookie.OBJECT_MASK);
            out.add(
                new Flow(
                    f.table(),
                    clausePriority - t,
                    cookie,
                    0,
                    f.match(),
                    acts,
                    f.idleTimeout(),
                    f.hardTimeout()));
          });
    }
    out.sort(Comparator.comparing(Flow::key));
    return out;
  }
}
