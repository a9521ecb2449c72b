package dev.sluice.compiler.compile;

import dev.sluice.compiler.cluster.ClusterState;
import dev.sluice.compiler.cluster.NetworkPolicyInfo;
import dev.sluice.compiler.cluster.NetworkPolicyInfo.Peer;
import dev.sluice.compiler.cluster.NetworkPolicyInfo.PolicyRule;
import dev.sluice.compiler.cluster.NodeInfo;
import dev.sluice.compiler.cluster.ObjectKind;
import dev.sluice.compiler.cluster.PodInfo;
import dev.sluice.compiler.cluster.PortRef;
import dev.sluice.compiler.compile.NetworkPolicyCompiler.Direction;
import dev.sluice.compiler.compile.NetworkPolicyCompiler.RuleId;
import dev.sluice.compiler.compile.Unit.RouteUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Turns a change (a kind and an object) into the {@link Dirty} objects whose units must be
 * recomputed, and keeps the cluster indexes of {@link CompiledCluster.Engine} up to date while
 * doing so. Pods are found by namespace and node; rules by what their peers read: the namespaces
 * their podSelector-only peers select in, whether a peer has a namespaceSelector (every namespace
 * label change may move it), and egress rules that resolve named ports on every pod. A pod change
 * records {@link PodPatch.RulePatch}es (the rules it enters or leaves) instead of dirtying those
 * rules, so the NetworkPolicy feature can patch them.
 */
final class DependencyIndex {
  private final CompiledCluster.Engine cluster;

  // Rules by what their peers read (the dependency index of policy rules).
  final HashMap<String, Set<RuleId>> peerRulesByNs = new HashMap<>();
  final Set<RuleId> nsSelectorRules = new TreeSet<>();
  final Set<RuleId> allPodRules = new TreeSet<>();

  DependencyIndex(CompiledCluster.Engine cluster) {
    this.cluster = cluster;
  }

  /**
   * What moving from {@code prev} to {@code next} (they differ in {@code kind ns/name} only) makes
   * dirty; updates the pod and policy indexes.
   */
  Dirty changed(ClusterState prev, ClusterState next, ObjectKind kind, String ns, String name) {
    Dirty d = new Dirty();
    switch (kind) {
      case POD -> {
        PodInfo p0 = attached(prev, prev.pod(ns, name));
        PodInfo p1 = attached(next, next.pod(ns, name));
        podChanged(p0, p1, d);
      }
      case NODE -> nodeChanged(prev, next, name, d);
      case NAMESPACE -> d.rules.addAll(nsSelectorRules);
      case NETWORK_POLICY -> policyChanged(prev, next, ns, name, d);
      default -> {
        // Services, Endpoints, EndpointSlices: no flows in kube-proxy mode.
      }
    }
    return d;
  }

  /** What re-reading the port numbers of {@code node} makes dirty. */
  Dirty portsChanged(String node) {
    Dirty d = new Dirty();
    renumber(node, d);
    return d;
  }

  private @Nullable PodInfo attached(ClusterState s, Optional<PodInfo> p) {
    return p.filter(x -> s.node(x.nodeName()).isPresent()).orElse(null);
  }

  private void podChanged(@Nullable PodInfo p0, @Nullable PodInfo p1, Dirty d) {
    if (Objects.equals(p0, p1)) {
      return;
    }
    podDependents(p0, p1, d);
    if (p0 != null) {
      cluster.unindexPod(p0);
    }
    if (p1 != null) {
      cluster.indexPod(p1);
    }
    Set<String> nodes = new TreeSet<>();
    if (p0 != null) {
      nodes.add(p0.nodeName());
      d.pods.add(CompiledCluster.Engine.podKey(p0));
    }
    if (p1 != null) {
      nodes.add(p1.nodeName());
      d.pods.add(CompiledCluster.Engine.podKey(p1));
    }
    for (String n : nodes) {
      renumber(n, d);
    }
  }

  /** Units that read pod {@code p} (as applied-to or peer). */
  private void dependents(PodInfo p, Dirty d) {
    d.pods.add(CompiledCluster.Engine.podKey(p));
    for (NetworkPolicyInfo pol : cluster.policiesIn(p.namespace())) {
      if (NetworkPolicyCompiler.selects(pol, p)) {
        d.rules.addAll(NetworkPolicyCompiler.ruleIds(pol));
      }
    }
    Map<String, String> nsLabels = cluster.state.namespace(p.namespace()).labels();
    Set<RuleId> candidates = new TreeSet<>(nsSelectorRules);
    candidates.addAll(peerRulesByNs.getOrDefault(p.namespace(), Set.of()));
    for (RuleId id : candidates) {
      NetworkPolicyInfo pol = cluster.policy(id.policy());
      if (pol == null || id.index() < 0) {
        continue;
      }
      PolicyRule rule = NetworkPolicyCompiler.rules(pol, id.direction()).get(id.index());
      for (Peer peer : rule.peers()) {
        if (peer.selectsPod(pol.namespace(), p.namespace(), p.labels(), nsLabels)) {
          d.rules.add(id);
          break;
        }
      }
    }
    d.rules.addAll(allPodRules);
  }

  /**
   * Like {@link #dependents} for a pod going from {@code p0} to {@code p1} (same key; either may be
   * null), but the rules whose applied-to or peer set it enters or leaves are recorded as {@link
   * RulePatch}es, applied in O(1) flows by {@link #recompute} instead of replanning the rule from
   * every pod. Candidates come from indexes: policies of the pod's namespace (applied-to), rules
   * whose podSelector-only peers read that namespace, rules with a namespaceSelector peer. Must run
   * before the pod is unindexed (it reads the old port).
   */
  private void podDependents(@Nullable PodInfo p0, @Nullable PodInfo p1, Dirty d) {
    PodInfo any = p0 != null ? p0 : Objects.requireNonNull(p1);
    String ns = any.namespace();
    d.pods.add(CompiledCluster.Engine.podKey(any));
    for (NetworkPolicyInfo pol : cluster.policiesIn(ns)) {
      boolean s0 = p0 != null && NetworkPolicyCompiler.selects(pol, p0);
      boolean s1 = p1 != null && NetworkPolicyCompiler.selects(pol, p1);
      if (!s0 && !s1) {
        continue;
      }
      for (RuleId id : NetworkPolicyCompiler.ruleIds(pol)) {
        PodPatch.RulePatch rp = d.patch(id);
        if (s0) {
          rp.appliedOld = p0;
          rp.appliedOldPort = cluster.port(Objects.requireNonNull(p0));
        }
        if (s1) {
          rp.appliedNew = p1;
        }
      }
    }
    Map<String, String> nsLabels = cluster.state.namespace(ns).labels();
    Set<RuleId> candidates = new TreeSet<>(nsSelectorRules);
    candidates.addAll(peerRulesByNs.getOrDefault(ns, Set.of()));
    for (RuleId id : candidates) {
      NetworkPolicyInfo pol = cluster.policy(id.policy());
      if (pol == null || id.index() < 0) {
        continue;
      }
      PolicyRule rule = NetworkPolicyCompiler.rules(pol, id.direction()).get(id.index());
      boolean peer0 = p0 != null && isPeer(pol, rule, p0, nsLabels);
      boolean peer1 = p1 != null && isPeer(pol, rule, p1, nsLabels);
      if (peer0 || peer1) {
        PodPatch.RulePatch rp = d.patch(id);
        rp.peerOld = peer0 ? p0 : null;
        rp.peerNew = peer1 ? p1 : null;
      }
    }
    d.rules.addAll(allPodRules);
  }

  private static boolean isPeer(
      NetworkPolicyInfo pol, PolicyRule rule, PodInfo p, Map<String, String> nsLabels) {
    for (Peer peer : rule.peers()) {
      if (peer.selectsPod(pol.namespace(), p.namespace(), p.labels(), nsLabels)) {
        return true;
      }
    }
    return false;
  }

  /** Re-derives a node's port map; pods whose port changed are recompiled. */
  private void renumber(String node, Dirty d) {
    PortMap old = cluster.ports.get(node);
    if (cluster.state.node(node).isEmpty()) {
      cluster.ports.remove(node);
      return;
    }
    PortMap now = cluster.portsFor(node);
    cluster.ports.put(node, now);
    if (old == null || old.equals(now)) {
      return;
    }
    for (PodInfo p : cluster.podsByNode.getOrDefault(node, new TreeMap<>()).values()) {
      if (!old.port(p.interfaceName()).equals(now.port(p.interfaceName()))) {
        d.pods.add(CompiledCluster.Engine.podKey(p));
        for (NetworkPolicyInfo pol : cluster.policiesIn(p.namespace())) {
          if (NetworkPolicyCompiler.selects(pol, p)) {
            d.rules.addAll(NetworkPolicyCompiler.ruleIds(pol));
          }
        }
      }
    }
    d.nodes.add(node); // gateway/tunnel ports may have moved
    for (NodeInfo m : cluster.state.nodes()) {
      if (!m.name().equals(node)) {
        d.routes.add(new RouteUnit(node, m.name()));
      }
    }
  }

  private void nodeChanged(ClusterState prev, ClusterState next, String name, Dirty d) {
    boolean was = prev.node(name).isPresent();
    boolean is = next.node(name).isPresent();
    TreeMap<String, PodInfo> pods = new TreeMap<>();
    prev.podsOnNode(name).forEach(p -> pods.put(p.key(), p));
    next.podsOnNode(name).forEach(p -> pods.put(p.key(), p));
    for (PodInfo p : pods.values()) {
      PodInfo p0 = was ? prev.pod(p.namespace(), p.name()).orElse(null) : null;
      PodInfo p1 = is ? next.pod(p.namespace(), p.name()).orElse(null) : null;
      if (p0 != null) {
        dependents(p0, d);
        cluster.unindexPod(p0);
      }
      if (p1 != null) {
        dependents(p1, d);
        cluster.indexPod(p1);
      }
    }
    if (is) {
      cluster.ports.put(name, cluster.portsFor(name));
    } else {
      cluster.ports.remove(name);
    }
    d.nodes.add(name);
    Set<String> all = new TreeSet<>();
    prev.nodes().forEach(n -> all.add(n.name()));
    next.nodes().forEach(n -> all.add(n.name()));
    for (String m : all) {
      if (!m.equals(name)) {
        d.routes.add(new RouteUnit(m, name));
        d.routes.add(new RouteUnit(name, m));
      }
    }
  }

  private void policyChanged(
      ClusterState prev, ClusterState next, String ns, String name, Dirty d) {
    NetworkPolicyInfo p0 = prev.networkPolicy(ns, name).orElse(null);
    NetworkPolicyInfo p1 = next.networkPolicy(ns, name).orElse(null);
    if (Objects.equals(p0, p1)) {
      return;
    }
    TreeMap<String, NetworkPolicyInfo> inNs =
        cluster.policiesByNs.computeIfAbsent(ns, k -> new TreeMap<>());
    if (p1 != null) {
      inNs.put(p1.name(), p1);
    } else if (p0 != null) {
      inNs.remove(p0.name());
    }
    for (NetworkPolicyInfo p : new NetworkPolicyInfo[] {p0, p1}) {
      if (p == null) {
        continue;
      }
      d.rules.addAll(NetworkPolicyCompiler.ruleIds(p));
      for (PodInfo pod : cluster.podsIn(ns)) {
        if (NetworkPolicyCompiler.selects(p, pod)) {
          d.isolations.add(CompiledCluster.Engine.podKey(pod));
        }
      }
    }
  }

  void registerPeers(RuleId id, NetworkPolicyInfo pol) {
    if (id.index() < 0) {
      return;
    }
    PolicyRule rule = NetworkPolicyCompiler.rules(pol, id.direction()).get(id.index());
    if (rule.allowsAllPeers()) {
      boolean named =
          rule.ports().stream()
              .anyMatch(p -> p.port().isPresent() && p.port().get() instanceof PortRef.Named);
      if (named && id.direction() == Direction.EGRESS) {
        allPodRules.add(id);
      }
      return;
    }
    for (Peer peer : rule.peers()) {
      if (peer.ipBlock().isPresent()) {
        continue;
      }
      if (peer.namespaceSelector().isPresent()) {
        nsSelectorRules.add(id);
      } else {
        peerRulesByNs.computeIfAbsent(pol.namespace(), k -> new TreeSet<>()).add(id);
      }
    }
  }

  void deregisterPeers(RuleId id) {
    allPodRules.remove(id);
    nsSelectorRules.remove(id);
    String ns = id.policy().namespace();
    Set<RuleId> s = peerRulesByNs.get(ns);
    if (s != null) {
      s.remove(id);
      if (s.isEmpty()) {
        peerRulesByNs.remove(ns);
      }
    }
  }
}
