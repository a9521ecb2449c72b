package dev.sluice.compiler.bench;

import dev.sluice.compiler.cluster.ClusterState;
import dev.sluice.compiler.compile.CompiledCluster;
import dev.sluice.compiler.compile.CompilerConfig;
import dev.sluice.compiler.compile.PortSource;
import java.lang.management.ManagementFactory;
import java.util.IntSummaryStatistics;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * (c) 100,000 pods, 75,000 policies, 25,000 namespaces over 100 nodes, compiled for every node
 * (cold compile plus every node's sorted flow list) in a 1 GB heap; targets &lt; 3 s and &lt; 1 GB.
 * After each iteration it prints flows per node and the heap in use after a full GC with the
 * snapshot and the compiled cluster live.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx1g", "-Xms1g"})
public class LargeClusterBenchmark {
  ClusterState state;
  CompiledCluster compiled;

  @Setup(Level.Trial)
  public void setUp() {
    state = LargeClusterScenario.build();
    System.out.printf(
        "%n[c] state: %d nodes, %d namespaces, %d pods, %d policies; heap after GC %d MB%n",
        state.nodes().size(),
        state.namespaces().size(),
        state.pods().size(),
        state.networkPolicies().size(),
        usedHeapAfterGc() >> 20);
  }

  @Benchmark
  public CompiledCluster compileEveryNode() {
    compiled = null; // the previous iteration's result must not count against the heap
    CompiledCluster c =
        CompiledCluster.compileAll(state, CompilerConfig.defaults(), PortSource.defaultNumbering());
    for (String node : c.nodes()) {
      c.flows(node);
    }
    compiled = c;
    return c;
  }

  @TearDown(Level.Iteration)
  public void report() {
    if (compiled == null) {
      return;
    }
    IntSummaryStatistics s = new IntSummaryStatistics();
    for (String node : compiled.nodes()) {
      s.accept(compiled.flows(node).flows().size());
    }
    System.out.printf(
        "%n[c] flows per node: min %d, avg %.0f, max %d (total %d over %d nodes); heap after GC"
            + " (snapshot + compiled) %d MB%n",
        s.getMin(), s.getAverage(), s.getMax(), s.getSum(), s.getCount(), usedHeapAfterGc() >> 20);
  }

  static long usedHeapAfterGc() {
    System.gc();
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
