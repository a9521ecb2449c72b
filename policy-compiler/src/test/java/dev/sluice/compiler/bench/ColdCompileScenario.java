package dev.sluice.compiler.bench;

import static dev.sluice.compiler.bench.BenchObjects.ip;

import dev.sluice.compiler.cluster.ClusterState;
import dev.sluice.compiler.cluster.ManifestReader.SourcedObject;
import dev.sluice.testkit.objects.ClusterObjects;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Benchmark (a): 3,500 ingress rules (350 policies × 10) whose peers are podSelectors over 450 pods
 * on 5 nodes (random labels from 3 keys), all applied to the same 20 pods on node {@code n1}.
 */
final class ColdCompileScenario {
  static final int NODES = 5;
  static final int PODS = 450;
  static final int TARGETS = 20;
  static final int POLICIES = 350;
  static final int RULES_PER_POLICY = 10;
  static final String NS = "bench";
  static final String NODE = "n1";

  private ColdCompileScenario() {}

  static ClusterState build(long seed) {
    Random rnd = new Random(seed);
    List<HasMetadata> objs = new ArrayList<>();
    for (int n = 1; n <= NODES; n++) {
      objs.add(ClusterObjects.node("n" + n, "10.10." + n + ".0/24", "192.168.0." + n));
    }
    objs.add(ClusterObjects.namespace(NS, Map.of("env", "bench")));
    int targets = 0;
    for (int k = 0; k < PODS; k++) {
      int node = 1 + k % NODES;
      Map<String, String> labels = new LinkedHashMap<>();
      labels.put("app", "a" + rnd.nextInt(10));
      labels.put("tier", "t" + rnd.nextInt(3));
      labels.put("zone", "z" + rnd.nextInt(4));
      if (node == 1 && targets < TARGETS) {
        labels.put("role", "target");
        targets++;
      }
      objs.add(
          ClusterObjects.pod(
              NS, String.format("p%07d", k), "n" + node, ip(10, node, 10 + k / NODES), labels));
    }
    for (int i = 0; i < POLICIES; i++) {
      List<NetworkPolicyIngressRule> rules = new ArrayList<>();
      for (int r = 0; r < RULES_PER_POLICY; r++) {
        rules.add(BenchObjects.ingressFrom(peerSelector(rnd), 80 + rnd.nextInt(20)));
      }
      objs.add(
          BenchObjects.policy(
              NS, String.format("pol%04d", i), Map.of("role", "target"), rules, List.of()));
    }
    ClusterState.ApplyResult r =
        ClusterState.empty().applyAll(objs.stream().map(o -> new SourcedObject("a", o)).toList());
    if (!r.rejections().isEmpty()) {
      throw new IllegalStateException(r.rejections().toString());
    }
    return r.state();
  }

  /** A random subset of the 450 pods: ~45, ~15, ~112 or ~150 of them. */
  private static Map<String, String> peerSelector(Random rnd) {
    return switch (rnd.nextInt(4)) {
      case 0 -> Map.of("app", "a" + rnd.nextInt(10));
      case 1 -> Map.of("app", "a" + rnd.nextInt(10), "tier", "t" + rnd.nextInt(3));
      case 2 -> Map.of("zone", "z" + rnd.nextInt(4));
      default -> Map.of("tier", "t" + rnd.nextInt(3));
    };
  }
}
