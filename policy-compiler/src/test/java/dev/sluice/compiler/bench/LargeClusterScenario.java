package dev.sluice.compiler.bench;

import static dev.sluice.compiler.bench.BenchObjects.ip;

import dev.sluice.compiler.cluster.ClusterState;
import dev.sluice.compiler.cluster.ManifestReader.SourcedObject;
import dev.sluice.testkit.objects.ClusterObjects;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Benchmark (c): 100 nodes, 25,000 namespaces of 4 pods each (web, api, db, cache: 100,000 pods), 3
 * policies per namespace (75,000): db accepts api on 5432; web accepts every pod of its namespace
 * on 80; api accepts web on 8080 and may reach db on 5432 (egress).
 *
 * <p>Objects are built and applied in batches of 1,000 namespaces, so only the {@link ClusterState}
 * stays reachable (a batch of fabric8 objects is garbage once applied).
 */
final class LargeClusterScenario {
  static final int NODES = 100;
  static final int NAMESPACES = 25_000;
  static final int PODS_PER_NS = 4;
  static final int BATCH = 1_000;
  private static final String[] APPS = {"web", "api", "db", "cache"};

  private LargeClusterScenario() {}

  static ClusterState build() {
    List<SourcedObject> nodes = new ArrayList<>();
    for (int n = 0; n < NODES; n++) {
      nodes.add(
          new SourcedObject(
              "c",
              ClusterObjects.node(
                  String.format("n%03d", n), "10." + (n + 1) + ".0.0/16", ip(200, 0, n + 1))));
    }
    ClusterState state = apply(ClusterState.empty(), nodes);
    for (int first = 0; first < NAMESPACES; first += BATCH) {
      state = apply(state, batch(first, Math.min(NAMESPACES, first + BATCH)));
    }
    return state;
  }

  private static List<SourcedObject> batch(int from, int to) {
    List<SourcedObject> out = new ArrayList<>();
    for (int i = from; i < to; i++) {
      String ns = String.format("ns%05d", i);
      out.add(new SourcedObject("c", ClusterObjects.namespace(ns, Map.of("team", "t" + i % 50))));
      for (int j = 0; j < PODS_PER_NS; j++) {
        int g = i * PODS_PER_NS + j;
        int node = g % NODES;
        int local = g / NODES;
        out.add(
            new SourcedObject(
                "c",
                ClusterObjects.pod(
                    ns,
                    String.format("p%07d", g),
                    String.format("n%03d", node),
                    ip(node + 1, local / 250, 2 + local % 250),
                    Map.of("app", APPS[j]))));
      }
      out.add(
          new SourcedObject(
              "c",
              BenchObjects.policy(
                  ns,
                  "db",
                  Map.of("app", "db"),
                  List.of(BenchObjects.ingressFrom(Map.of("app", "api"), 5432)),
                  List.of())));
      out.add(
          new SourcedObject(
              "c",
              BenchObjects.policy(
                  ns,
                  "web",
                  Map.of("app", "web"),
                  List.of(BenchObjects.ingressFrom(Map.of(), 80)),
                  List.of())));
      out.add(
          new SourcedObject(
              "c",
              BenchObjects.policy(
                  ns,
                  "api",
                  Map.of("app", "api"),
                  List.of(BenchObjects.ingressFrom(Map.of("app", "web"), 8080)),
                  List.of(BenchObjects.egressTo(Map.of("app", "db"), 5432)))));
    }
    return out;
  }

  private static ClusterState apply(ClusterState state, List<SourcedObject> objs) {
    ClusterState.ApplyResult r = state.applyAll(objs);
    if (!r.rejections().isEmpty()) {
      throw new IllegalStateException(r.rejections().subList(0, 1).toString());
    }
    return r.state();
  }
}
