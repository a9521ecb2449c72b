package dev.sluice.compiler.compile;

import static dev.sluice.compiler.compile.RandomCluster.map;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.compiler.cluster.ClusterState;
import dev.sluice.compiler.cluster.Derivations;
import dev.sluice.compiler.cluster.ObjectKind;
import dev.sluice.compiler.pipeline.Marks;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The pod patch path of {@link CompiledCluster#apply}: with a fixed set of random policies, random
 * pod churn (adds, deletes, label changes that move pods in and out of applied-to and peer sets
 * across namespaces, moves between nodes, named ports appearing and disappearing) gives, after
 * every step, the flows of a cold compile byte for byte, and diffs that turn the old flows into the
 * new. Ports are explicit (as learned from a switch), so applied-to pods are patched rather than
 * renumbered; a few pods have no port yet.
 */
class PodPatchTest {

  static LongStream seeds() {
    return LongStream.range(0, 30);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void podChurnEqualsColdCompile(long seed) {
    Random rnd = new Random(seed);
    RandomCluster gen = new RandomCluster(seed);
    int podCount = 30;
    PortSource ports = explicitPorts(podCount);
    CompilerConfig config = CompilerConfig.defaults();
    CompiledCluster inc = CompiledCluster.compileAll(ClusterState.empty(), config, ports);
    List<Change> setup = new ArrayList<>(gen.bootstrap());
    int policies = 0;
    while (policies < 8) {
      Change c = gen.next();
      if (c instanceof Change.Upsert u
          && (u.object().getKind().equals("NetworkPolicy")
              || u.object().getKind().equals("Namespace"))) {
        setup.add(c);
        policies += u.object().getKind().equals("NetworkPolicy") ? 1 : 0;
      }
    }
    for (int i = 0; i < podCount; i++) {
      setup.add(Change.upsert(pod(rnd, i)));
    }
    for (Change c : setup) {
      inc = inc.apply(c).compiled();
    }
    assertSame(inc, config, ports, "seed " + seed + " setup");
    long patchedBefore = inc.patchedRules();
    for (int step = 0; step < 120; step++) {
      int i = rnd.nextInt(podCount);
      Change c =
          rnd.nextInt(5) == 0
              ? Change.delete(ObjectKind.POD, RandomCluster.NAMESPACES[i % 3], "q" + i)
              : Change.upsert(pod(rnd, i));
      Map<String, NodeFlows> before = IncrementalCompileTest.tables(inc);
      CompiledCluster.Result r = inc.apply(c);
      inc = r.compiled();
      String what = "seed " + seed + " step " + step + ": " + IncrementalCompileTest.describe(c);
      assertSame(inc, config, ports, what);
      IncrementalCompileTest.assertTracked(before, r, what);
    }
    assertThat(inc.patchedRules()).as("rules patched, not replanned").isGreaterThan(patchedBefore);
  }

  private static void assertSame(
      CompiledCluster inc, CompilerConfig config, PortSource ports, String what) {
    CompiledCluster fresh = CompiledCluster.compileAll(inc.state(), config, ports);
    IncrementalCompileTest.assertSameFlows(
        IncrementalCompileTest.texts(inc), IncrementalCompileTest.texts(fresh), what);
    assertThat(inc.conjIds()).as(what).isEqualTo(fresh.conjIds());
    assertThat(inc.provenance()).as(what).isEqualTo(fresh.provenance());
  }

  /** Every pod's interface on every node, except pods 0 and 1 (not attached to the bridge yet). */
  private static PortSource explicitPorts(int podCount) {
    Map<String, PortMap> maps = new HashMap<>();
    for (int node = 1; node <= 3; node++) {
      Map<String, Long> m = new TreeMap<>();
      m.put(Marks.TUNNEL_PORT, 1L);
      m.put(Marks.GATEWAY_PORT, 2L);
      for (int i = 2; i < podCount; i++) {
        m.put(Derivations.interfaceName(RandomCluster.NAMESPACES[i % 3], "q" + i), 10L + i);
      }
      maps.put("node" + node, new PortMap(m));
    }
    return PortSource.explicit(maps);
  }

  /** Pod {@code qI} in a fixed namespace with random labels, node and named ports. */
  private static HasMetadata pod(Random rnd, int i) {
    int node = 1 + rnd.nextInt(3);
    Map<String, Object> labels = new LinkedHashMap<>();
    labels.put("app", RandomCluster.APPS[rnd.nextInt(RandomCluster.APPS.length)]);
    if (rnd.nextBoolean()) {
      labels.put("tier", rnd.nextBoolean() ? "front" : "back");
    }
    List<Object> ports = new ArrayList<>();
    if (rnd.nextInt(3) == 0) {
      ports.add(
          map("name", "http", "containerPort", rnd.nextBoolean() ? 80 : 8080, "protocol", "TCP"));
    }
    if (rnd.nextInt(4) == 0) {
      ports.add(map("name", "dns", "containerPort", 53, "protocol", "UDP"));
    }
    return RandomCluster.parse(
        map(
            "apiVersion",
            "v1",
            "kind",
            "Pod",
            "metadata",
            map("name", "q" + i, "namespace", RandomCluster.NAMESPACES[i % 3], "labels", labels),
            "spec",
            map(
                "nodeName",
                "node" + node,
                "containers",
                List.of(map("name", "c", "image", "x", "ports", ports))),
            "status",
            map("phase", "Running", "podIP", "10.1." + node + "." + (10 + i))));
  }
}
