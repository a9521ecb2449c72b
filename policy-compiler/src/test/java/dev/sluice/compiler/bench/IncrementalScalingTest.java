package dev.sluice.compiler.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.compiler.compile.CompiledCluster;
import org.junit.jupiter.api.Test;

/**
 * Non-timed companion of {@link IncrementalBenchmark}: the flows a pod add changes do not depend on
 * the size of the namespace (the timing is the benchmark's job, never a test's).
 */
class IncrementalScalingTest {

  @Test
  void podAddChangesTheSameFlowsAtOneThousandAndTenThousandPods() {
    int small = changedByAdd(1_000);
    int large = changedByAdd(10_000);
    System.out.printf(
        "changed flows for one pod add: 1,000 pods %d, 10,000 pods %d%n", small, large);
    // The pod's own flows on its node plus one from-clause flow per node hosting an applied-to pod.
    assertThat(small).isPositive().isEqualTo(large);
  }

  private static int changedByAdd(int pods) {
    IncrementalScenario s = new IncrementalScenario(pods);
    CompiledCluster.Result r = s.compile().apply(s.add());
    assertThat(r.errors()).isEmpty();
    return IncrementalScenario.changedFlows(r.changes());
  }
}
