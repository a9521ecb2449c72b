package dev.sluice.compiler.compile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.compiler.cluster.ClusterState;
import dev.sluice.compiler.flow.Flow;
import dev.sluice.compiler.flow.FlowText;
import dev.sluice.compiler.flow.PortNames;
import dev.sluice.compiler.flow.TableChanges;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Incremental compilation equals a cold compile of the final state, byte for byte, after every step
 * of many random change sequences; and each step's diff turns the previous flows into the new ones.
 * Run with the real conj-id allocator and with a tiny, collision-heavy one (which exercises the
 * re-assignment of ids inside a probing run), and with a small message limit (which exercises
 * splitting of large clause flows).
 */
class IncrementalCompileTest {

  static Stream<Arguments> sequences() {
    return LongStream.range(0, 40)
        .boxed()
        .flatMap(
            seed ->
                Stream.of(
                    Arguments.of(seed, false, CompilerConfig.OPENFLOW_MAX_MESSAGE),
                    Arguments.of(seed, true, 300)));
  }

  @ParameterizedTest(name = "seed {0}, tiny conj space {1}, max message {2}")
  @MethodSource("sequences")
  void incrementalEqualsColdCompileAfterEveryChange(long seed, boolean tinySpace, int maxBytes) {
    CompilerConfig config = CompilerConfig.defaults().withMaxMessageBytes(maxBytes);
    PortSource ports = PortSource.defaultNumbering();
    RandomCluster gen = new RandomCluster(seed);
    CompiledCluster inc = cold(ClusterState.empty(), config, ports, tinySpace);
    List<Change> changes = new ArrayList<>(gen.bootstrap());
    for (int i = 0; i < 60; i++) {
      changes.add(gen.next());
    }
    int step = 0;
    for (Change c : changes) {
      Map<String, NodeFlows> before = tables(inc);
      CompiledCluster.Result r = inc.apply(c);
      inc = r.compiled();
      CompiledCluster fresh = cold(inc.state(), config, ports, tinySpace);
      assertSameFlows(
          texts(inc), texts(fresh), "seed " + seed + " step " + step + ": " + describe(c));
      assertThat(inc.conjIds()).isEqualTo(fresh.conjIds());
      assertTracked(before, r, "seed " + seed + " step " + step + ": " + describe(c));
      step++;
    }
  }

  static String describe(Change c) {
    if (c instanceof Change.Upsert u) {
      return "upsert "
          + u.object().getKind()
          + " "
          + u.object().getMetadata().getNamespace()
          + "/"
          + u.object().getMetadata().getName();
    }
    return c.toString();
  }

  /** Equal texts per node; on failure, the lines only one side has. */
  static void assertSameFlows(Map<String, String> inc, Map<String, String> cold, String what) {
    if (inc.equals(cold)) {
      return;
    }
    StringBuilder sb = new StringBuilder(what).append('\n');
    Set<String> nodes = new java.util.TreeSet<>(inc.keySet());
    nodes.addAll(cold.keySet());
    for (String n : nodes) {
      List<String> a = List.of(inc.getOrDefault(n, "").split("\n"));
      List<String> b = List.of(cold.getOrDefault(n, "").split("\n"));
      for (String l : a) {
        if (!b.contains(l)) {
          sb.append(n).append(" incremental only: ").append(l).append('\n');
        }
      }
      for (String l : b) {
        if (!a.contains(l)) {
          sb.append(n).append(" cold only:        ").append(l).append('\n');
        }
      }
    }
    throw new AssertionError(sb.toString());
  }

  private static CompiledCluster cold(
      ClusterState s, CompilerConfig config, PortSource ports, boolean tinySpace) {
    ConjIdAllocator alloc =
        tinySpace ? new ConjIdAllocator(97, k -> k.hashCode() % 13) : new ConjIdAllocator();
    return CompiledCluster.compileAll(s, config, ports, alloc);
  }

  static Map<String, String> texts(CompiledCluster c) {
    Map<String, String> m = new TreeMap<>();
    for (String n : c.nodes()) {
      m.put(n, c.flows(n).format(PortNames.NONE, FlowText.Style.OPENFLOW13));
    }
    return m;
  }

  /** Every node's flows and groups (take it before {@code apply}: that spends the instance). */
  static Map<String, NodeFlows> tables(CompiledCluster c) {
    Map<String, NodeFlows> m = new TreeMap<>();
    for (String n : c.nodes()) {
      m.put(n, c.flows(n));
    }
    return m;
  }

  /**
   * The tracked changes of {@code r} equal, as values, the full compare of every node's tables
   * before and after it ({@link TableChanges#between}), and sent to a switch holding the old flows
   * they leave exactly the new ones.
   */
  static void assertTracked(Map<String, NodeFlows> before, CompiledCluster.Result r, String what) {
    Map<String, NodeFlows> after = tables(r.compiled());
    Set<String> nodes = new TreeSet<>(before.keySet());
    nodes.addAll(after.keySet());
    nodes.addAll(r.changes().keySet());
    for (String n : nodes) {
      NodeFlows b = before.getOrDefault(n, new NodeFlows(n, List.of(), List.of()));
      NodeFlows a = after.getOrDefault(n, new NodeFlows(n, List.of(), List.of()));
      TableChanges tracked = r.changes().getOrDefault(n, TableChanges.NONE);
      assertThat(tracked)
          .as("%s: tracked changes of node %s", what, n)
          .isEqualTo(TableChanges.between(b.flows(), b.groups(), a.flows(), a.groups()));
      Map<Flow.Key, Flow> sw = new HashMap<>();
      b.flows().forEach(f -> sw.put(f.key(), f));
      tracked.flowDeletes().forEach(f -> assertThat(sw.remove(f.key())).isEqualTo(f));
      tracked.flowModifies().forEach(f -> assertThat(sw.put(f.key(), f)).isNotNull());
      tracked.flowAdds().forEach(f -> sw.put(f.key(), f));
      assertThat(new HashSet<>(sw.values()))
          .as("%s: node %s after its changes", what, n)
          .isEqualTo(new HashSet<>(a.flows()));
    }
  }
}
