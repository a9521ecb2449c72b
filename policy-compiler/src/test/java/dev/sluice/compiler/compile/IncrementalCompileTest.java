package dev.sluice.compiler.compile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.compiler.cluster.ClusterState;
import dev.sluice.compiler.flow.Flow;
import dev.sluice.compiler.flow.FlowText;
import dev.sluice.compiler.flow.PortNames;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
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
      Map<String, String> before = texts(inc);
      Map<String, Set<Flow>> beforeFlows = flowSets(inc);
      CompiledCluster.Result r = inc.apply(c);
      inc = r.compiled();
      CompiledCluster fresh = cold(inc.state(), config, ports, tinySpace);
      assertSameFlows(
          texts(inc), texts(fresh), "seed " + seed + " step " + step + ": " + describe(c));
      assertThat(inc.conjIds()).isEqualTo(fresh.conjIds());
      // The diff turns the old flows into the new ones.
      Map<String, Set<Flow>> after = flowSets(inc);
      Set<String> nodes = new HashSet<>(beforeFlows.keySet());
      nodes.addAll(after.keySet());
      for (String n : nodes) {
        Set<Flow> s = new HashSet<>(beforeFlows.getOrDefault(n, Set.of()));
        FlowDiff d = r.diffs().getOrDefault(n, FlowDiff.EMPTY);
        d.removed().forEach(s::remove);
        s.addAll(d.added());
        assertThat(s)
            .as("seed %d step %d node %s diff (before: %s)", seed, step, n, before.get(n) != null)
            .isEqualTo(after.getOrDefault(n, Set.of()));
      }
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

  private static Map<String, Set<Flow>> flowSets(CompiledCluster c) {
    Map<String, Set<Flow>> m = new TreeMap<>();
    for (String n : c.nodes()) {
      m.put(n, new HashSet<>(c.flows(n).flows()));
    }
    return m;
  }
}
