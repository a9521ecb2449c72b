package dev.sluice.compiler.explain;

import dev.sluice.compiler.cluster.NetworkPolicyInfo;
import dev.sluice.compiler.cluster.PodInfo;
import dev.sluice.compiler.cluster.Protocol;
import dev.sluice.compiler.compile.CompiledCluster;
import dev.sluice.compiler.flow.MatchField;
import dev.sluice.compiler.pipeline.Provenance;
import dev.sluice.compiler.pipeline.Table;
import dev.sluice.compiler.sim.Packet;
import dev.sluice.compiler.sim.Trace;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import org.jspecify.annotations.Nullable;

/**
 * Why a new connection between two pods is allowed or denied, in Kubernetes terms: which
 * NetworkPolicies isolate each side, and which rule lets the connection through — or that none
 * does. Computed by walking the compiled flows ({@link ClusterTrace}) and reading the conj_ids the
 * pipeline recorded in {@code reg5} (egress) and {@code reg6} (ingress).
 */
public final class PolicyWhy {
  private PolicyWhy() {}

  /**
   * The answer.
   *
   * @param from source pod {@code ns/name}
   * @param to destination pod {@code ns/name}
   * @param allowed whether the first packet reaches the destination pod
   * @param egressIsolatedBy policies selecting the source for Egress (empty: not isolated)
   * @param ingressIsolatedBy policies selecting the destination for Ingress (empty: not isolated)
   * @param egressRule the egress rule that allowed it, when one did
   * @param ingressRule the ingress rule that allowed it, when one did
   * @param summary the answer as sentences
   * @param walk the walk behind the answer
   */
  public record Explanation(
      String from,
      String to,
      int port,
      Protocol protocol,
      boolean allowed,
      List<String> egressIsolatedBy,
      List<String> ingressIsolatedBy,
      @Nullable String egressRule,
      @Nullable String ingressRule,
      List<String> summary,
      ClusterTrace.Result walk) {}

  public static Explanation explain(
      CompiledCluster compiled, PodInfo from, PodInfo to, int port, Protocol protocol) {
    List<String> egress = isolating(compiled, from, NetworkPolicyInfo.PolicyType.EGRESS);
    List<String> ingress = isolating(compiled, to, NetworkPolicyInfo.PolicyType.INGRESS);
    ClusterTrace.Result walk = ClusterTrace.fromPod(compiled, from, to.ip(), port, protocol);
    boolean allowed =
        walk.end() == ClusterTrace.End.DELIVERED
            && walk.deliveredTo() != null
            && walk.deliveredTo().key().equals(to.key());
    String what = port + "/" + protocol + " from " + from.key() + " to " + to.key();
    List<String> summary = new ArrayList<>();
    String egressRule = null;
    String ingressRule = null;
    Packet firstOut = firstHopPacket(walk);
    if (egress.isEmpty()) {
      summary.add(
          "egress of " + from.key() + ": not isolated (no NetworkPolicy selects it for Egress)");
    } else {
      egressRule = firstOut == null ? null : rule(compiled, firstOut.get(MatchField.REG5));
      summary.add(
          "egress of "
              + from.key()
              + ": isolated by "
              + String.join(", ", egress)
              + (egressRule != null ? "; allowed by " + egressRule : ""));
    }
    if (ingress.isEmpty()) {
      summary.add(
          "ingress of " + to.key() + ": not isolated (no NetworkPolicy selects it for Ingress)");
    } else {
      ingressRule =
          allowed && walk.packetAtEnd() != null
              ? rule(compiled, walk.packetAtEnd().get(MatchField.REG6))
              : null;
      summary.add(
          "ingress of "
              + to.key()
              + ": isolated by "
              + String.join(", ", ingress)
              + (ingressRule != null ? "; allowed by " + ingressRule : ""));
    }
    if (allowed) {
      summary.add("verdict: " + what + " is ALLOWED");
    } else {
      summary.add("verdict: " + what + " is DENIED: " + denial(walk, egress, ingress, from, to));
    }
    return new Explanation(
        from.key(),
        to.key(),
        port,
        protocol,
        allowed,
        egress,
        ingress,
        egressRule,
        ingressRule,
        summary,
        walk);
  }

  private static @Nullable Packet firstHopPacket(ClusterTrace.Result walk) {
    if (walk.hops().size() > 1) {
      Trace first = walk.hops().get(0).trace();
      return first.verdict().outputs().isEmpty() ? null : first.verdict().outputs().get(0).packet();
    }
    return walk.packetAtEnd();
  }

  private static String denial(
      ClusterTrace.Result walk,
      List<String> egress,
      List<String> ingress,
      PodInfo from,
      PodInfo to) {
    if (walk.end() != ClusterTrace.End.DROPPED) {
      return "the packet ends "
          + walk.end().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
    }
    List<Trace.Step> steps = walk.last().steps();
    int table = steps.isEmpty() ? -1 : steps.get(steps.size() - 1).table();
    String node = walk.hops().get(walk.hops().size() - 1).node();
    if (table == Table.EGRESS_DEFAULT.id()) {
      return "no egress rule of "
          + String.join(", ", egress)
          + " allows it (dropped on "
          + node
          + " in table "
          + table
          + ", EgressDefault)";
    }
    if (table == Table.INGRESS_DEFAULT.id()) {
      return "no ingress rule of "
          + String.join(", ", ingress)
          + " allows it (dropped on "
          + node
          + " in table "
          + table
          + ", IngressDefault)";
    }
    return "dropped on "
        + node
        + " in table "
        + table
        + " (not by a NetworkPolicy: check "
        + from.key()
        + " and "
        + to.key()
        + " are attached)";
  }

  private static List<String> isolating(
      CompiledCluster compiled, PodInfo pod, NetworkPolicyInfo.PolicyType type) {
    List<String> out = new ArrayList<>();
    for (NetworkPolicyInfo p : compiled.state().networkPolicies()) {
      if (p.namespace().equals(pod.namespace())
          && p.policyTypes().contains(type)
          && p.podSelector().matches(pod.labels())) {
        out.add("NetworkPolicy " + p.key());
      }
    }
    return out;
  }

  /**
   * The rule whose conj_id is {@code conjId}, e.g. {@code NetworkPolicy default/x egress rule 0}.
   */
  static @Nullable String rule(CompiledCluster compiled, long conjId) {
    if (conjId == 0) {
      return null;
    }
    for (SortedSet<Provenance.Origin> origins : compiled.provenance().byCookie().values()) {
      for (Provenance.Origin o : origins) {
        if (o.rule() != null && o.rule().conjId() == conjId) {
          return o.kindText()
              + " "
              + o.namespace()
              + "/"
              + o.name()
              + " "
              + o.rule().direction()
              + " rule "
              + o.rule().ruleIndex()
              + " (conj_id "
              + conjId
              + ")";
        }
      }
    }
    return "conj_id " + conjId;
  }
}
