package dev.sluice.compiler.bench;

import dev.sluice.compiler.cluster.ClusterState;
import dev.sluice.compiler.compile.CompiledCluster;
import dev.sluice.compiler.compile.CompilerConfig;
import dev.sluice.compiler.compile.NodeFlows;
import dev.sluice.compiler.compile.PortSource;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * (a) Cold compile of 3,500 policy rules over 450 pod IPs applied to 20 pods on {@code n1}; target
 * &lt; 0.5 s. Measures {@link CompiledCluster#compileAll} plus materializing {@code n1}'s sorted
 * flows.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx2g"})
public class ColdCompileBenchmark {
  ClusterState state;

  @Setup(Level.Trial)
  public void setUp() {
    state = ColdCompileScenario.build(9);
    CompiledCluster c = compile();
    NodeFlows n1 = c.flows(ColdCompileScenario.NODE);
    System.out.printf(
        "%n[a] %d rules, %d pods, %d applied-to pods: flows on n1 = %d (table 90: %d)%n",
        ColdCompileScenario.POLICIES * ColdCompileScenario.RULES_PER_POLICY,
        ColdCompileScenario.PODS,
        ColdCompileScenario.TARGETS,
        n1.flows().size(),
        n1.table(90).size());
  }

  private CompiledCluster compile() {
    return CompiledCluster.compileAll(
        state, CompilerConfig.defaults(), PortSource.defaultNumbering());
  }

  @Benchmark
  public NodeFlows compileAll() {
    return compile().flows(ColdCompileScenario.NODE);
  }
}
