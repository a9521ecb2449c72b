package dev.sluice.compiler.bench;

import static dev.sluice.compiler.bench.BenchObjects.ip;

import dev.sluice.compiler.cluster.ClusterState;
import dev.sluice.compiler.cluster.Derivations;
import dev.sluice.compiler.cluster.ManifestReader.SourcedObject;
import dev.sluice.compiler.cluster.ObjectKind;
import dev.sluice.compiler.compile.Change;
import dev.sluice.compiler.compile.CompiledCluster;
import dev.sluice.compiler.compile.CompilerConfig;
import dev.sluice.compiler.compile.PortMap;
import dev.sluice.compiler.compile.PortSource;
import dev.sluice.compiler.flow.TableChanges;
import dev.sluice.testkit.objects.ClusterObjects;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Benchmark (b): namespace {@code big} with {@code pods} pods on 10 nodes; 5 policies apply to 10
 * pods (one per node) and allow ingress from {@code app=web} pods (a quarter of the namespace). The
 * change is one more {@code app=web} pod: a peer of all 5 policies.
 *
 * <p>Ports are explicit per node (as learned from the switch, where OVS gives a new interface the
 * next free ofport): default numbering would renumber the pods sorted after the new one on its
 * node, which is an artefact of offline numbering and not constant.
 */
final class IncrementalScenario {
  static final int NODES = 10;
  static final int POLICIES = 5;
  static final String NS = "big";

  final ClusterState state;
  final PortSource ports;
  final Pod added;

  IncrementalScenario(int pods) {
    List<HasMetadata> objs = new ArrayList<>();
    Map<String, TreeMap<String, Long>> portMaps = new HashMap<>();
    for (int n = 0; n < NODES; n++) {
      objs.add(node(n));
      TreeMap<String, Long> m = new TreeMap<>();
      m.put("antrea-tun0", 1L);
      m.put("antrea-gw0", 2L);
      portMaps.put(node(n).getMetadata().getName(), m);
    }
    objs.add(ClusterObjects.namespace(NS, Map.of("env", "bench")));
    String[] apps = {"web", "api", "db", "cache"};
    for (int k = 0; k < pods; k++) {
      Map<String, String> labels = new HashMap<>();
      labels.put("app", apps[k % 4]);
      if (k >= 1 && k <= NODES) {
        labels.put("role", "target");
      }
      Pod p = pod(k, labels);
      objs.add(p);
      register(portMaps, p);
    }
    for (int i = 0; i < POLICIES; i++) {
      objs.add(
          BenchObjects.policy(
              NS,
              "pol" + i,
              Map.of("role", "target"),
              List.of(BenchObjects.ingressFrom(Map.of("app", "web"), 80 + i)),
              List.of()));
    }
    // The new pod: app=web, on n3, an address no other pod uses.
    added = ClusterObjects.pod(NS, "q0000000", "n3", ip(4, 200, 2), Map.of("app", "web"));
    register(portMaps, added);
    Map<String, PortMap> maps = new HashMap<>();
    portMaps.forEach((n, m) -> maps.put(n, new PortMap(m)));
    ports = PortSource.explicit(maps);
    ClusterState.ApplyResult r =
        ClusterState.empty().applyAll(objs.stream().map(o -> new SourcedObject("b", o)).toList());
    if (!r.rejections().isEmpty()) {
      throw new IllegalStateException(r.rejections().toString());
    }
    state = r.state();
  }

  private static HasMetadata node(int n) {
    return ClusterObjects.node("n" + n, "10." + (n + 1) + ".0.0/16", "192.168.0." + (n + 1));
  }

  /** Pod k on node k % 10, address 10.(node+1).x.y from its local index. */
  private static Pod pod(int k, Map<String, String> labels) {
    int node = k % NODES;
    int local = k / NODES;
    return ClusterObjects.pod(
        NS,
        String.format("p%07d", k),
        "n" + node,
        ip(node + 1, local / 250, 2 + local % 250),
        labels);
  }

  private static void register(Map<String, TreeMap<String, Long>> portMaps, Pod p) {
    TreeMap<String, Long> m = portMaps.get(p.getSpec().getNodeName());
    m.put(
        Derivations.interfaceName(p.getMetadata().getNamespace(), p.getMetadata().getName()),
        (long) m.size() + 1);
  }

  CompiledCluster compile() {
    return CompiledCluster.compileAll(state, CompilerConfig.defaults(), ports);
  }

  Change add() {
    return Change.upsert(added);
  }

  Change delete() {
    return Change.delete(ObjectKind.POD, NS, added.getMetadata().getName());
  }

  /**
   * Flow-mods over all nodes: flows added, removed or modified (a pod add or delete only adds or
   * removes flows, so this is the count the benchmark figures name "changed flows").
   */
  static int changedFlows(Map<String, TableChanges> changes) {
    int n = 0;
    for (TableChanges d : changes.values()) {
      n += d.flowCount();
    }
    return n;
  }
}
