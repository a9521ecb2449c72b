package dev.sluice.compiler.compile;

import dev.sluice.compiler.cluster.NetworkPolicyInfo;
import dev.sluice.compiler.cluster.ObjectKey;
import dev.sluice.compiler.cluster.PodInfo;
import dev.sluice.compiler.compile.NetworkPolicyCompiler.RuleId;
import dev.sluice.compiler.compile.NetworkPolicyCompiler.RulePlan;
import dev.sluice.compiler.compile.Unit.IsolationUnit;
import dev.sluice.compiler.compile.Unit.RuleUnit;
import dev.sluice.compiler.flow.Flow;
import dev.sluice.compiler.pipeline.Cookie;
import dev.sluice.compiler.pipeline.Cookie.Category;
import dev.sluice.compiler.pipeline.Provenance;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * NetworkPolicy ({@link NetworkPolicyCompiler}): an {@link IsolationUnit} per attached pod (its
 * isolation drops) and a {@link RuleUnit} per rule, with the rules' plans, the owner of each conj
 * key and the pod-patch fast path ({@link PodPatch}). A rule is replanned when its conj_ids move
 * (then every rule whose conj key moved is re-emitted), patched when only a pod entered or left.
 */
final class NetworkPolicyFeature implements Feature {
  private final CompiledCluster.Engine cluster;
  private final TreeMap<RuleId, RulePlan> plans = new TreeMap<>();
  private final HashMap<String, RuleId> conjOwner = new HashMap<>();
  private final PodPatch podPatch;
  private long patchedRules;

  NetworkPolicyFeature(CompiledCluster.Engine cluster) {
    this.cluster = cluster;
    this.podPatch = new PodPatch(cluster, plans);
  }

  /** Rule units patched (not replanned) for pod changes since the cold compile. */
  long patchedRules() {
    return patchedRules;
  }

  @Override
  public void compileAll(DesiredFlowTable flows) {
    for (TreeMap<String, PodInfo> pods : cluster.podsByNs.values()) {
      for (PodInfo p : pods.values()) {
        ObjectKey key = CompiledCluster.Engine.podKey(p);
        flows.replace(new IsolationUnit(key), isoUnit(key));
      }
    }
    List<String> keys = new ArrayList<>();
    for (NetworkPolicyInfo p : cluster.state.networkPolicies()) {
      List<PodInfo> applied = NetworkPolicyCompiler.appliedTo(p, cluster);
      for (RuleId id : NetworkPolicyCompiler.ruleIds(p)) {
        RulePlan plan = NetworkPolicyCompiler.plan(p, id, cluster, applied);
        plans.put(id, plan);
        cluster.dependencies.registerPeers(id, p);
        for (String k : NetworkPolicyCompiler.conjKeys(plan)) {
          keys.add(k);
          conjOwner.put(k, id);
        }
      }
    }
    cluster.alloc.addAll(keys);
    for (RulePlan plan : plans.values()) {
      flows.replace(new RuleUnit(plan.id()), emit(plan));
    }
  }

  @Override
  public void recompute(Dirty d, DesiredFlowTable flows) {
    for (ObjectKey key : d.pods) {
      flows.replace(new IsolationUnit(key), isoUnit(key));
    }
    for (ObjectKey key : d.isolations) {
      if (!d.pods.contains(key)) {
        flows.replace(new IsolationUnit(key), isoUnit(key));
      }
    }
    // Pod changes: patch the rules that allow it (peer/applied-to clause flows), else replan.
    Map<RuleId, List<PodPatch.FlowEdit>> patched = new TreeMap<>();
    for (Map.Entry<RuleId, PodPatch.RulePatch> e : d.patches.entrySet()) {
      if (d.rules.contains(e.getKey())) {
        continue;
      }
      List<PodPatch.FlowEdit> edits = podPatch.plan(e.getKey(), e.getValue());
      if (edits == null) {
        d.rules.add(e.getKey());
      } else {
        patched.put(e.getKey(), edits);
      }
    }
    // Rules: replan, then move conj ids, then emit.
    Set<RuleId> emit = new TreeSet<>();
    Set<String> movedKeys = new HashSet<>();
    for (RuleId id : d.rules) {
      RulePlan old = plans.remove(id);
      cluster.dependencies.deregisterPeers(id);
      NetworkPolicyInfo pol = cluster.policy(id.policy());
      boolean exists = pol != null && NetworkPolicyCompiler.ruleIds(pol).contains(id);
      RulePlan now = exists ? NetworkPolicyCompiler.plan(pol, id, cluster) : null;
      Set<String> oldKeys =
          old == null ? Set.of() : new TreeSet<>(NetworkPolicyCompiler.conjKeys(old));
      Set<String> newKeys =
          now == null ? Set.of() : new TreeSet<>(NetworkPolicyCompiler.conjKeys(now));
      for (String k : oldKeys) {
        if (!newKeys.contains(k)) {
          conjOwner.remove(k);
          movedKeys.addAll(cluster.alloc.remove(k));
        }
      }
      for (String k : newKeys) {
        if (!oldKeys.contains(k)) {
          conjOwner.put(k, id);
          movedKeys.addAll(cluster.alloc.add(k));
        }
      }
      if (now != null) {
        plans.put(id, now);
        cluster.dependencies.registerPeers(id, pol);
        emit.add(id); // even with an equal plan: ports or node placement may have moved
      } else {
        flows.replace(new RuleUnit(id), Map.of());
      }
    }
    for (String k : movedKeys) {
      RuleId owner = conjOwner.get(k);
      if (owner != null && plans.containsKey(owner)) {
        emit.add(owner);
      }
    }
    for (Map.Entry<RuleId, List<PodPatch.FlowEdit>> e : patched.entrySet()) {
      if (!emit.contains(e.getKey())) {
        podPatch.apply(e.getKey(), e.getValue(), flows);
        patchedRules++;
      }
    }
    for (RuleId id : emit) {
      flows.replace(new RuleUnit(id), emit(plans.get(id)));
    }
  }

  /** The origins of the rules' flows: one per conjunction, with the rule. */
  void provenance(Provenance.Builder b) {
    for (RulePlan plan : plans.values()) {
      Map<String, Long> ids = new HashMap<>();
      NetworkPolicyCompiler.conjKeys(plan).forEach(k -> ids.put(k, cluster.alloc.id(k)));
      for (Provenance.Origin o : NetworkPolicyCompiler.origins(plan, ids)) {
        Provenance.RuleRef rule = Objects.requireNonNull(o.rule());
        b.add(Cookie.of(cluster.config.round(), Category.POLICY, rule.conjId()), o);
      }
    }
  }

  private Map<String, List<Flow>> isoUnit(ObjectKey key) {
    PodInfo p = cluster.attachedPod(key);
    if (p == null) {
      return Map.of();
    }
    OptionalLong port = cluster.port(p);
    if (port.isEmpty()) {
      return Map.of();
    }
    List<NetworkPolicyInfo> selecting = new ArrayList<>();
    for (NetworkPolicyInfo pol : cluster.policiesIn(p.namespace())) {
      if (NetworkPolicyCompiler.selects(pol, p)) {
        selecting.add(pol);
      }
    }
    boolean[] iso = NetworkPolicyCompiler.isolation(selecting);
    List<Flow> flows =
        NetworkPolicyCompiler.isolationFlows(
            p, port.getAsLong(), iso[0], iso[1], cluster.config.round());
    return flows.isEmpty() ? Map.of() : Map.of(p.nodeName(), flows);
  }

  private Map<String, List<Flow>> emit(RulePlan plan) {
    Map<String, Long> ids = new HashMap<>();
    for (String k : NetworkPolicyCompiler.conjKeys(plan)) {
      ids.put(k, cluster.alloc.id(k));
    }
    return NetworkPolicyCompiler.emit(plan, ids, cluster, cluster.config.round());
  }
}
