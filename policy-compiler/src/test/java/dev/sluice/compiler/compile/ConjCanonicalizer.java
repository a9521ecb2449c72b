package dev.sluice.compiler.compile;

import dev.sluice.compiler.flow.Action;
import dev.sluice.compiler.flow.FieldMatch;
import dev.sluice.compiler.flow.Flow;
import dev.sluice.compiler.flow.FlowText;
import dev.sluice.compiler.flow.Match;
import dev.sluice.compiler.flow.MatchField;
import dev.sluice.compiler.flow.PortNames;
import dev.sluice.compiler.pipeline.Cookie;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Renames conjunction ids by what they are instead of how they were numbered: an id's signature is
 * the sorted list of its clause flows ({@code table, priority, match, k/n}); ids are renumbered 1,
 * 2, … in signature order. Two flow sets with the same rules but different conj_id numbering become
 * equal. Cookies are reduced to round | category ({@link Cookie#withoutObject}). Public for the
 * golden comparisons of other modules' tests (e.g. {@code sluice compile} output on a real bridge).
 */
public final class ConjCanonicalizer {
  private ConjCanonicalizer() {}

  /** The flows with conj_ids renumbered by signature and cookies reduced, sorted by key. */
  public static List<Flow> canonical(List<Flow> flows) {
    Map<Long, TreeSet<String>> sig = new HashMap<>();
    for (Flow f : flows) {
      for (Action a : f.actions()) {
        if (a instanceof Action.Conjunction c) {
          sig.computeIfAbsent(c.id(), k -> new TreeSet<>())
              .add(
                  f.table()
                      + "|"
                      + f.priority()
                      + "|"
                      + FlowText.formatMatch(f.match(), PortNames.NONE)
                      + "|"
                      + c.clause()
                      + "/"
                      + c.clauses());
        }
      }
      f.match()
          .get(MatchField.CONJ_ID)
          .ifPresent(
              m -> sig.computeIfAbsent(m.value(), k -> new TreeSet<>()).add(f.table() + "|conj"));
    }
    TreeMap<String, Long> order = new TreeMap<>();
    sig.forEach((id, s) -> order.put(String.join(";", s) + "#" + id, id));
    Map<Long, Long> rename = new HashMap<>();
    long next = 1;
    for (Long id : order.values()) {
      rename.put(id, next++);
    }
    List<Flow> out = new ArrayList<>();
    for (Flow f : flows) {
      Match m = f.match();
      var conj = m.get(MatchField.CONJ_ID);
      if (conj.isPresent()) {
        m =
            m.toBuilder()
                .remove(MatchField.CONJ_ID)
                .add(FieldMatch.exact(MatchField.CONJ_ID, rename.get(conj.get().value())))
                .build();
      }
      List<Action> actions = new ArrayList<>();
      for (Action a : f.actions()) {
        if (a instanceof Action.Conjunction c) {
          actions.add(new Action.Conjunction(rename.get(c.id()), c.clause(), c.clauses()));
        } else if (a instanceof Action.Load l
            && conj.isPresent()
            && l.value() == conj.get().value()
            && l.destination().field().isRegister()) {
          actions.add(new Action.Load(l.destination(), rename.get(l.value())));
        } else {
          actions.add(a);
        }
      }
      actions.sort(
          (x, y) ->
              x instanceof Action.Conjunction cx && y instanceof Action.Conjunction cy
                  ? FlowMerger.CONJ_ORDER.compare(cx, cy)
                  : 0);
      out.add(
          new Flow(
              f.table(),
              f.priority(),
              Cookie.withoutObject(f.cookie()),
              0,
              m,
              actions,
              f.idleTimeout(),
              f.hardTimeout()));
    }
    out.sort(Comparator.comparing(Flow::key));
    return out;
  }
}
