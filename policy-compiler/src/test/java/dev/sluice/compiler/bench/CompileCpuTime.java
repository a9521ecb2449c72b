package dev.sluice.compiler.bench;

import dev.sluice.compiler.cluster.ClusterState;
import dev.sluice.compiler.compile.CompiledCluster;
import dev.sluice.compiler.compile.CompilerConfig;
import dev.sluice.compiler.compile.PortSource;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;

/**
 * A load-independent companion of {@link ColdCompileBenchmark} for a shared machine: wall time and
 * the compiling thread's CPU time (which other processes' load and GC threads do not inflate) of
 * repeated cold compiles of scenario (a), plus the heap still in use after a full GC.
 *
 * <p>{@code java -cp <test classpath> dev.sluice.compiler.bench.CompileCpuTime [runs]}
 */
public final class CompileCpuTime {
  private CompileCpuTime() {}

  public static void main(String[] args) {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    ClusterState state = ColdCompileScenario.build(9);
    for (int i = 1; i <= runs; i++) {
      long wall = System.nanoTime();
      long cpu = threads.getCurrentThreadCpuTime();
      CompiledCluster c =
          CompiledCluster.compileAll(
              state, CompilerConfig.defaults(), PortSource.defaultNumbering());
      int flows = c.flows(ColdCompileScenario.NODE).flows().size();
      long cpuMs = (threads.getCurrentThreadCpuTime() - cpu) / 1_000_000;
      long wallMs = (System.nanoTime() - wall) / 1_000_000;
      System.gc();
      System.out.printf(
          Locale.ROOT,
          "run %2d: wall %5d ms, compiling thread CPU %5d ms, %d flows on n1, heap after GC %d MB%n",
          i,
          wallMs,
          cpuMs,
          flows,
          ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() >> 20);
    }
  }
}
