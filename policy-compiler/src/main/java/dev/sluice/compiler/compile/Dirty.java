package dev.sluice.compiler.compile;

import dev.sluice.compiler.cluster.ObjectKey;
import dev.sluice.compiler.compile.NetworkPolicyCompiler.RuleId;
import dev.sluice.compiler.compile.Unit.RouteUnit;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What one change makes dirty, by object: filled by the dependency index of {@link
 * CompiledCluster}, read by each {@link Feature}, which maps the objects to its own units (a dirty
 * node is a node unit for pod connectivity and a Service unit for Services).
 */
final class Dirty {
  /** Nodes whose own flows (skeleton, gateway, tunnel, Service CIDR) may have changed. */
  final Set<String> nodes = new TreeSet<>();

  /** Routes (node, peer) to recompute. */
  final Set<RouteUnit> routes = new HashSet<>();

  /** Pods whose own and isolation flows may have changed. */
  final Set<ObjectKey> pods = new HashSet<>();

  /** Pods whose isolation only may have changed (a policy selecting them changed). */
  final Set<ObjectKey> isolations = new HashSet<>();

  /** Rules to replan. */
  final Set<RuleId> rules = new TreeSet<>();

  /** Rules a pod change enters or leaves, to patch instead of replanning (unless in rules). */
  final TreeMap<RuleId, PodPatch.RulePatch> patches = new TreeMap<>();

  PodPatch.RulePatch patch(RuleId id) {
    return patches.computeIfAbsent(id, k -> new PodPatch.RulePatch());
  }
}
