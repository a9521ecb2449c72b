package dev.sluice.compiler.audit;

import dev.sluice.compiler.flow.Action;
import dev.sluice.compiler.flow.FieldMatch;
import dev.sluice.compiler.flow.Flow;
import dev.sluice.compiler.flow.MatchField;
import dev.sluice.compiler.pipeline.Cookie;
import dev.sluice.compiler.pipeline.Provenance;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One reason a flow exists: the object (and rule) behind its cookie and, for NetworkPolicy
 * conjunctive flows, the flow's role in the rule's conjunction: one of its clauses ({@code from},
 * {@code to}, {@code services}), or the {@code conj_id} flow that acts once every clause matched.
 *
 * @param origin the object and rule, from the cookie
 * @param clause {@code from}, {@code to}, {@code services}, {@code action} (the {@code conj_id}
 *     flow), or null when the flow plays no part in the rule's conjunction (or is not a rule flow)
 */
public record Attribution(Provenance.Origin origin, @Nullable String clause) {

  /**
   * Every attribution of {@code flow}. A shared clause flow (one match used by several rules) has
   * one per rule it serves; a flow whose cookie is unknown (foreign, or of a deleted object) has
   * none.
   */
  public static List<Attribution> of(Flow flow, Provenance provenance) {
    List<Attribution> out = new ArrayList<>();
    long conjMatch = flow.match().get(MatchField.CONJ_ID).map(FieldMatch::value).orElse(-1L);
    // A shared clause flow carries the cookie of its smallest conj_id; the other rules it serves
    // are found through the cookies their own conj_ids give (same round and category).
    java.util.Set<Provenance.Origin> origins =
        new java.util.LinkedHashSet<>(provenance.origins(flow.cookie()));
    long roundAndCategory = flow.cookie() & (Cookie.ROUND_MASK | Cookie.CATEGORY_MASK);
    for (Action a : flow.actions()) {
      if (a instanceof Action.Conjunction c) {
        origins.addAll(provenance.origins(roundAndCategory | (c.id() & Cookie.OBJECT_MASK)));
      }
    }
    for (Provenance.Origin o : origins) {
      Provenance.RuleRef r = o.rule();
      if (r == null) {
        out.add(new Attribution(o, null));
        continue;
      }
      String clause = null;
      if (conjMatch == r.conjId()) {
        clause = "action";
      } else {
        for (Action a : flow.actions()) {
          if (a instanceof Action.Conjunction c
              && c.id() == r.conjId()
              && c.clause() <= r.clauses().size()) {
            clause = r.clauses().get(c.clause() - 1);
            break;
          }
        }
      }
      if (clause == null && (conjMatch >= 0 || hasConjunction(flow))) {
        // A shared clause or action flow: this rule's cookie, but another rule's conjunction.
        continue;
      }
      out.add(new Attribution(o, clause));
    }
    return out;
  }

  private static boolean hasConjunction(Flow f) {
    return f.actions().stream().anyMatch(a -> a instanceof Action.Conjunction);
  }

  /**
   * For people: {@code NetworkPolicy default/frontendpolicy egress rule 0 conj_id=1 clause to}, or
   * {@code Pod default/frontend (pod)}.
   */
  public String describe() {
    StringBuilder sb = new StringBuilder();
    sb.append(origin.kindText());
    String obj =
        origin.namespace().isEmpty() ? origin.name() : origin.namespace() + "/" + origin.name();
    sb.append(' ').append(obj);
    Provenance.RuleRef r = origin.rule();
    if (r != null) {
      sb.append(' ').append(r.direction());
      sb.append(r.ruleIndex() < 0 ? " (implied deny-all)" : " rule " + r.ruleIndex());
      sb.append(" conj_id=").append(r.conjId());
      if (!r.portGroup().isEmpty()) {
        sb.append(" ports=").append(r.portGroup());
      }
      if (clause != null) {
        sb.append(clause.equals("action") ? " (conjunction action)" : " clause " + clause);
      }
    } else {
      sb.append(" (")
          .append(origin.category().toString().toLowerCase(java.util.Locale.ROOT))
          .append(')');
    }
    return sb.toString();
  }
}
