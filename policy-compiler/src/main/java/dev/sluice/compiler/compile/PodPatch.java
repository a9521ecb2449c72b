package dev.sluice.compiler.compile;

import dev.sluice.compiler.cluster.Ipv4Cidr;
import dev.sluice.compiler.cluster.NetworkPolicyInfo;
import dev.sluice.compiler.cluster.NetworkPolicyInfo.Peer;
import dev.sluice.compiler.cluster.PodInfo;
import dev.sluice.compiler.cluster.PortRef;
import dev.sluice.compiler.compile.NetworkPolicyCompiler.Conj;
import dev.sluice.compiler.compile.NetworkPolicyCompiler.Direction;
import dev.sluice.compiler.compile.NetworkPolicyCompiler.RuleId;
import dev.sluice.compiler.compile.NetworkPolicyCompiler.RulePlan;
import dev.sluice.compiler.compile.Unit.RuleUnit;
import dev.sluice.compiler.flow.Action;
import dev.sluice.compiler.flow.Flow;
import dev.sluice.compiler.flow.Match;
import dev.sluice.compiler.flow.MatchField;
import dev.sluice.compiler.pipeline.Cookie;
import dev.sluice.compiler.pipeline.Cookie.Category;
import dev.sluice.compiler.pipeline.Table;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The pod-patch fast path of the NetworkPolicy feature: a pod entering or leaving a rule's
 * applied-to or peer set changes that rule by one clause flow per node it is on (its /32 peer
 * clause) or on its own node (its applied-to clause), so the rule is patched in O(1) flows instead
 * of being replanned from every pod of the namespace. {@link #plan} decides whether a rule can be
 * patched and updates its plan; {@link #apply} makes the flow edits on the rule's unit.
 */
final class PodPatch {
  private final CompiledCluster.Engine cluster;
  private final Map<RuleId, RulePlan> plans;

  PodPatch(CompiledCluster.Engine cluster, Map<RuleId, RulePlan> plans) {
    this.cluster = cluster;
    this.plans = plans;
  }

  /** Whether a rule resolves named ports (its conjunctions depend on the pods' port groups). */
  private static boolean hasNamedPorts(NetworkPolicyInfo pol, RuleId id) {
    if (id.index() < 0) {
      return false;
    }
    return NetworkPolicyCompiler.rules(pol, id.direction()).get(id.index()).ports().stream()
        .anyMatch(p -> p.port().isPresent() && p.port().get() instanceof PortRef.Named);
  }

  /**
   * Applies {@code rp} to the plan of {@code id} if it can be patched: the rule exists, has one
   * conjunction without named ports, and no node gains its first or loses its last applied-to pod
   * (that emits or drops the rule's whole flow set on the node). Returns the flow edits to make, or
   * null when the rule must be replanned instead (then nothing was changed).
   */
  @Nullable List<FlowEdit> plan(RuleId id, RulePatch rp) {
    RulePlan plan = plans.get(id);
    NetworkPolicyInfo pol = cluster.policy(id.policy());
    if (plan == null
        || pol == null
        || plan.conjs().size() != 1
        || hasNamedPorts(pol, id)
        || !NetworkPolicyCompiler.ruleIds(pol).contains(id)) {
      return null;
    }
    Conj conj = plan.conjs().get(0);
    Direction dir = id.direction();
    List<FlowEdit> edits = new ArrayList<>();
    // Applied-to.
    List<PodInfo> applied = conj.appliedTo();
    boolean appliedChanges = rp.appliedOld != null || rp.appliedNew != null;
    OptionalLong newPort =
        rp.appliedNew == null ? OptionalLong.empty() : cluster.port(rp.appliedNew);
    if (appliedChanges) {
      String key = (rp.appliedOld != null ? rp.appliedOld : rp.appliedNew).key();
      Set<String> nodes = new TreeSet<>();
      if (rp.appliedOld != null && rp.appliedOldPort.isPresent()) {
        nodes.add(rp.appliedOld.nodeName());
      }
      if (rp.appliedNew != null && newPort.isPresent()) {
        nodes.add(rp.appliedNew.nodeName());
      }
      for (String n : nodes) {
        int others = 0;
        for (PodInfo p : applied) {
          if (p.key().equals(key) || !p.nodeName().equals(n)) {
            continue;
          }
          OptionalLong q = cluster.port(p);
          if (q.isEmpty()) {
            continue;
          }
          others++;
          if (q.equals(rp.appliedOldPort) || q.equals(newPort)) {
            return null; // two pods on one port: their clause flow is shared
          }
        }
        boolean before =
            others > 0
                || (rp.appliedOld != null
                    && rp.appliedOldPort.isPresent()
                    && rp.appliedOld.nodeName().equals(n));
        boolean after =
            others > 0
                || (rp.appliedNew != null
                    && newPort.isPresent()
                    && rp.appliedNew.nodeName().equals(n));
        if (before != after) {
          return null;
        }
      }
      List<PodInfo> next = new ArrayList<>(applied.size() + 1);
      for (PodInfo p : applied) {
        if (!p.key().equals(key)) {
          next.add(p);
        }
      }
      if (rp.appliedNew != null) {
        int i = 0;
        while (i < next.size() && next.get(i).name().compareTo(rp.appliedNew.name()) < 0) {
          i++;
        }
        next.add(i, rp.appliedNew);
      }
      applied = List.copyOf(next);
      if (rp.appliedOld != null && rp.appliedOldPort.isPresent()) {
        edits.add(
            new FlowEdit(
                rp.appliedOld.nodeName(),
                appliedMatch(dir, rp.appliedOld, rp.appliedOldPort.getAsLong()),
                false,
                false));
      }
      if (rp.appliedNew != null && newPort.isPresent()) {
        edits.add(
            new FlowEdit(
                rp.appliedNew.nodeName(),
                appliedMatch(dir, rp.appliedNew, newPort.getAsLong()),
                true,
                false));
      }
    }
    // Peers: the pod's /32 leaves or enters the set (unless an ipBlock also names it; pod IPs
    // are unique in a snapshot).
    SortedSet<Ipv4Cidr> peers = conj.peers();
    Ipv4Cidr c0 = rp.peerOld == null ? null : Ipv4Cidr.host(rp.peerOld.ip());
    Ipv4Cidr c1 = rp.peerNew == null ? null : Ipv4Cidr.host(rp.peerNew.ip());
    List<Ipv4Cidr> blocks = new ArrayList<>();
    if (c0 != null || c1 != null) {
      for (Peer peer : NetworkPolicyCompiler.rules(pol, dir).get(id.index()).peers()) {
        peer.ipBlock().ifPresent(b -> blocks.addAll(b.effectiveCidrs()));
      }
    }
    MatchField peerField = dir == Direction.INGRESS ? MatchField.IPV4_SRC : MatchField.IPV4_DST;
    if (c0 != null && !c0.equals(c1) && !blocks.contains(c0) && peers.remove(c0)) {
      edits.add(new FlowEdit(null, NetworkPolicyCompiler.cidrMatch(peerField, c0), false, true));
    }
    if (c1 != null && peers.add(c1)) {
      edits.add(new FlowEdit(null, NetworkPolicyCompiler.cidrMatch(peerField, c1), true, true));
    }
    if (applied != conj.appliedTo()) {
      plans.put(
          id,
          new RulePlan(
              id,
              List.of(new Conj(conj.conjKey(), conj.portGroup(), applied, peers, conj.ports()))));
    }
    return edits;
  }

  private static Match appliedMatch(Direction dir, PodInfo p, long port) {
    return dir == Direction.INGRESS
        ? NetworkPolicyCompiler.ipMatch(MatchField.REG1, port, -1)
        : NetworkPolicyCompiler.ipMatch(MatchField.IPV4_SRC, p.ip().toLong(), -1);
  }

  /** Makes the flow edits of a patched rule on its unit (all nodes for peer edits). */
  void apply(RuleId id, List<FlowEdit> edits, DesiredFlowTable flows) {
    if (edits.isEmpty()) {
      return;
    }
    RuleUnit unit = new RuleUnit(id);
    Collection<String> ruleNodes = flows.nodesOf(unit);
    Conj conj = plans.get(id).conjs().get(0);
    long conjId = cluster.alloc.id(conj.conjKey());
    long cookie = Cookie.of(cluster.config.round(), Category.POLICY, conjId);
    int n = conj.ports().isEmpty() ? 2 : 3;
    Direction dir = id.direction();
    int peerClause = dir == Direction.INGRESS ? 1 : 2;
    int appliedClause = dir == Direction.INGRESS ? 2 : 1;
    Table table = dir.ruleTable();
    for (FlowEdit e : edits) {
      Flow f =
          Flow.of(
              table.id(),
              NetworkPolicyCompiler.PRIORITY_CLAUSE,
              cookie,
              e.match(),
              List.of(new Action.Conjunction(conjId, e.peer() ? peerClause : appliedClause, n)));
      Collection<String> nodes = e.node() == null ? ruleNodes : List.of(e.node());
      for (String node : nodes) {
        if (e.add()) {
          flows.addFlow(unit, node, f);
        } else {
          flows.removeFlow(unit, node, f);
        }
      }
    }
  }

  /**
   * One clause flow of a patched rule to add or remove.
   *
   * @param node the node (applied-to edits), or null for every node the rule is on (peer edits)
   * @param match the clause match
   * @param add add (else remove)
   * @param peer a peer clause flow (else applied-to)
   */
  record FlowEdit(@Nullable String node, Match match, boolean add, boolean peer) {}

  /**
   * What one pod change does to one rule: the pod's old version leaves (as applied-to pod or as
   * peer), its new version enters. Null fields: no such role.
   */
  static final class RulePatch {
    @Nullable PodInfo appliedOld;
    OptionalLong appliedOldPort = OptionalLong.empty(); // its port before the change
    @Nullable PodInfo appliedNew;
    @Nullable PodInfo peerOld;
    @Nullable PodInfo peerNew;
  }
}
