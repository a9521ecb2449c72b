package dev.sluice.compiler.bench;

import dev.sluice.compiler.compile.CompiledCluster;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * (b) One pod added to (and removed from, to keep the size) a namespace of {@code pods} pods that 5
 * policies select as a peer; target &lt; 1 ms per change. Each invocation is the add and the
 * delete, reported per change ({@link OperationsPerInvocation} 2). Includes {@code
 * ClusterState.apply}, as {@link CompiledCluster#apply} does.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx2g"})
public class IncrementalBenchmark {
  @Param({"1000", "10000"})
  int pods;

  IncrementalScenario scenario;
  CompiledCluster compiled;

  @Setup(Level.Trial)
  public void setUp() {
    scenario = new IncrementalScenario(pods);
    compiled = scenario.compile();
    CompiledCluster.Result add = compiled.apply(scenario.add());
    CompiledCluster.Result del = add.compiled().apply(scenario.delete());
    compiled = del.compiled();
    System.out.printf(
        "%n[b] %d pods: changed flows: add %d, delete %d%n",
        pods,
        IncrementalScenario.changedFlows(add.changes()),
        IncrementalScenario.changedFlows(del.changes()));
  }

  @Benchmark
  @OperationsPerInvocation(2)
  public void addThenDeletePod(Blackhole bh) {
    CompiledCluster.Result add = compiled.apply(scenario.add());
    bh.consume(add.changes());
    CompiledCluster.Result del = add.compiled().apply(scenario.delete());
    bh.consume(del.changes());
    compiled = del.compiled();
  }
}
