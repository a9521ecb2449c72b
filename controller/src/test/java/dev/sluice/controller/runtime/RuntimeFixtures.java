package dev.sluice.controller.runtime;

import dev.sluice.compiler.cluster.ClusterState;
import dev.sluice.compiler.compile.Change;
import dev.sluice.compiler.compile.CompiledCluster;
import dev.sluice.compiler.compile.PortMap;
import dev.sluice.compiler.flow.Flow;
import dev.sluice.compiler.flow.Group;
import dev.sluice.compiler.flow.TableChanges;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Small Kubernetes objects and compiled snapshots for the runtime's unit tests. */
final class RuntimeFixtures {
  private RuntimeFixtures() {}

  static Node node(String name, String cidr, String internalIp, Map<String, String> annotations) {
    return new NodeBuilder()
        .withNewMetadata()
        .withName(name)
        .withAnnotations(annotations)
        .endMetadata()
        .withNewSpec()
        .withPodCIDR(cidr)
        .endSpec()
        .withNewStatus()
        .addNewAddress()
        .withType("InternalIP")
        .withAddress(internalIp)
        .endAddress()
        .endStatus()
        .build();
  }

  static Node node(String name, int i) {
    return node(name, "10.10." + i + ".0/24", "192.168.77." + i, Map.of());
  }

  static Pod pod(String ns, String name, String node, String ip) {
    return new PodBuilder()
        .withNewMetadata()
        .withNamespace(ns)
        .withName(name)
        .withLabels(Map.of("app", name))
        .endMetadata()
        .withNewSpec()
        .withNodeName(node)
        .withContainers(new ContainerBuilder().withName("c").withImage("x").build())
        .endSpec()
        .withNewStatus()
        .withPhase("Running")
        .withPodIP(ip)
        .endStatus()
        .build();
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
