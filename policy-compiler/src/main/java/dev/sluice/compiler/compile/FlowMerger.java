package dev.sluice.compiler.compile;

import dev.sluice.compiler.flow.Action;
import dev.sluice.compiler.flow.FieldMatch;
import dev.sluice.compiler.flow.Flow;
import dev.sluice.compiler.pipeline.Cookie;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

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
public final class FlowMerger {
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

  /** Merges contributions in contributor order. */
  public static Flow merge(Collection<Flow> parts) {
    Flow out = null;
    for (Flow f : parts) {
      out = out == null ? f : merge(out, f);
    }
    if (out == null) {
      throw new IllegalArgumentException("nothing to merge");
    }
    return out;
  }

  static boolean isConjunctive(Flow f) {
    return !f.actions().isEmpty()
        && f.actions().stream().allMatch(a -> a instanceof Action.Conjunction);
  }

  /** Union of the conjunction actions of two clause flows, sorted; cookie of the smallest id. */
  static Flow mergeConjunctions(Flow a, Flow b) {
    TreeSet<Action.Conjunction> all = new TreeSet<>(CONJ_ORDER);
    for (Flow f : List.of(a, b)) {
      for (Action x : f.actions()) {
        all.add((Action.Conjunction) x);
      }
    }
    List<Action> actions = List.copyOf(all);
    long minId = all.first().id();
    long cookie = (a.cookie() & ~Cookie.OBJECT_MASK) | (minId & Cookie.OBJECT_MASK);
    return a.withActions(actions).withCookie(cookie);
  }

  static final Comparator<Action.Conjunction> CONJ_ORDER =
      Comparator.comparingLong(Action.Conjunction::id)
          .thenComparingInt(Action.Conjunction::clause)
          .thenComparingInt(Action.Conjunction::clauses);

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
