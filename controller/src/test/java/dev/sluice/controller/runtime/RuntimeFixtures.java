package dev.sluice.controller.runtime;

import dev.sluice.compiler.cluster.ClusterState;
import dev.sluice.compiler.compile.Change;
import dev.sluice.compiler.compile.CompiledCluster;
import dev.sluice.compiler.compile.PortMap;
import dev.sluice.compiler.flow.Flow;
import dev.sluice.compiler.flow.Group;
import dev.sluice.compiler.flow.TableChanges;
import dev.sluice.testkit.objects.ClusterObjects;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Small Kubernetes objects (numbered shorthands for the test kit's {@link ClusterObjects}) and
 * compiled snapshots for the runtime's unit tests.
 */
final class RuntimeFixtures {
  private RuntimeFixtures() {}

  /** Node {@code name}: pod CIDR {@code 10.10.i.0/24}, InternalIP {@code 192.168.77.i}. */
  static Node node(String name, int i) {
    return ClusterObjects.node(name, "10.10." + i + ".0/24", "192.168.77." + i, Map.of());
  }

  /** A running pod labelled {@code app=NAME}. */
  static Pod pod(String ns, String name, String node, String ip) {
    return ClusterObjects.pod(ns, name, node, ip, Map.of("app", name));
  }

  /** The compiled flows of {@code node} in a cluster of two nodes and {@code pods} pods on it. */
  static DesiredFlows desired(String node, int pods, long seq) {
    ClusterState s = ClusterState.empty();
    s = s.apply(node(node, 1)).state();
    s = s.apply(node("other", 2)).state();
    for (int i = 0; i < pods; i++) {
      s = s.apply(pod("default", "p" + i, node, "10.10.1." + (10 + i))).state();
    }
    CompiledCluster c = CompiledCluster.compileAll(s);
    return new DesiredFlows(c.flows(node), c.ports(node), seq);
  }

  /**
   * Snapshots of {@code node} as the state loop publishes them while pods arrive one at a time:
   * element 0 (seq 1, two pods) has no tracked changes, element {@code i} (seq {@code i + 1}, one
   * more pod) carries the compiler's changes from seq {@code i}.
   */
  static List<DesiredFlows> trackedSteps(String node, int steps) {
    ClusterState s = ClusterState.empty();
    s = s.apply(node(node, 1)).state();
    s = s.apply(node("other", 2)).state();
    for (int i = 0; i < 2; i++) {
      s = s.apply(pod("default", "p" + i, node, "10.10.1." + (10 + i))).state();
    }
    CompiledCluster c = CompiledCluster.compileAll(s);
    List<DesiredFlows> out = new ArrayList<>();
    out.add(new DesiredFlows(c.flows(node), c.ports(node), 1));
    for (int i = 1; i <= steps; i++) {
      CompiledCluster.Result r =
          c.apply(Change.upsert(pod("default", "p" + (i + 1), node, "10.10.1." + (11 + i))));
      c = r.compiled();
      TableChanges changes = r.changes().getOrDefault(node, TableChanges.NONE);
      out.add(new DesiredFlows(c.flows(node), c.ports(node), i + 1, changes, i));
    }
    return out;
  }

  /** A snapshot with exactly these flows and groups. */
  static DesiredFlows desired(String node, List<Flow> flows, List<Group> groups, long seq) {
    return new DesiredFlows(
        new dev.sluice.compiler.compile.NodeFlows(node, flows, groups), new PortMap(Map.of()), seq);
  }
}
