package dev.sluice.controller.runtime;

import static dev.sluice.controller.runtime.RuntimeFixtures.node;
import static dev.sluice.controller.runtime.RuntimeFixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.compiler.cluster.ClusterState;
import dev.sluice.compiler.cluster.ManifestError;
import dev.sluice.compiler.cluster.ObjectKey;
import dev.sluice.compiler.compile.Change;
import dev.sluice.compiler.compile.CompiledCluster;
import dev.sluice.compiler.compile.PortSource;
import dev.sluice.compiler.flow.TableChanges;
import dev.sluice.controller.events.EventPosition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class StateLoopTest {
  private final AtomicBoolean failNext = new AtomicBoolean();
  private final List<Set<String>> published = new ArrayList<>();
  private final RealizationTracker realization = new RealizationTracker();
  private final ErrorRing errors = new ErrorRing();
  private int offset;

  /** The real compiler, except that it can throw after it has spent the engine. */
  private StateLoop.Compiler compiler() {
    StateLoop.Compiler real =
        StateLoop.Compiler.of(
            dev.sluice.compiler.compile.CompilerConfig.defaults(), PortSource.defaultNumbering());
    return new StateLoop.Compiler() {
      @Override
      public CompiledCluster.Result apply(CompiledCluster compiled, Change change) {
        CompiledCluster.Result r = real.apply(compiled, change);
        if (failNext.getAndSet(false)) {
          throw new IllegalStateException("injected compiler failure");
        }
        return r;
      }

      @Override
      public CompiledCluster.Result refreshPorts(CompiledCluster compiled, String node) {
        return real.refreshPorts(compiled, node);
      }

      @Override
      public CompiledCluster compileAll(ClusterState state) {
        return real.compileAll(state);
      }
    };
  }

  private StateLoop loop() {
    return new StateLoop(
        compiler(),
        realization,
        new ControllerMetrics(),
        errors,
        () -> ControllerProbe.NONE,
        new StateLoop.Hooks() {
          @Override
          public void published(Set<String> nodes) {
            published.add(Set.copyOf(nodes));
          }
        });
  }

  private List<ManifestError> upsert(StateLoop loop, HasMetadata o) {
    return loop.submit(
        Change.upsert(o), ObjectKey.of(o), new EventPosition("sluice.pods", 0, offset++));
  }

  @Test
  void aCompilerFailureRestoresTheStateBeforeTheEventAndPublishesNothing() {
    try (StateLoop loop = loop()) {
      upsert(loop, node("worker1", 1));
      upsert(loop, node("worker2", 2));
      upsert(loop, pod("default", "a", "worker1", "10.10.1.10"));
      ClusterState before = loop.call(loop::state);
      Map<String, DesiredFlows> desiredBefore = loop.snapshots();
      int publishedBefore = published.size();
      Map<String, Long> consumedBefore = realization.consumedOffsets();

      failNext.set(true);
      assertThatThrownBy(() -> upsert(loop, pod("default", "b", "worker1", "10.10.1.11")))
          .hasMessageContaining("injected compiler failure");

      assertThat(loop.call(loop::state)).isEqualTo(before);
      assertThat(loop.snapshots()).isEqualTo(desiredBefore);
      assertThat(published).hasSize(publishedBefore);
      assertThat(realization.consumedOffsets()).isEqualTo(consumedBefore);
      assertThat(errors.list()).anyMatch(e -> e.message().contains("injected"));
      // The restored engine equals a cold compile of the state before the event...
      CompiledCluster cold = CompiledCluster.compileAll(before);
      for (String n : List.of("worker1", "worker2")) {
        dev.sluice.compiler.compile.NodeFlows now = loop.withCompiled(c -> c.flows(n));
        assertThat(now).isEqualTo(cold.flows(n));
      }

      // ...and keeps working: the same event applies once the compiler is healthy.
      assertThat(upsert(loop, pod("default", "b", "worker1", "10.10.1.11"))).isEmpty();
      assertThat(loop.desired("worker1").flows())
          .isNotEqualTo(desiredBefore.get("worker1").flows());
      assertThat(loop.desired("worker1").seq()).isEqualTo(desiredBefore.get("worker1").seq() + 1);
    }
  }

  @Test
  void anAppliedEventPublishesTheChangedNodesWithTheNextSeq() {
    try (StateLoop loop = loop()) {
      upsert(loop, node("worker1", 1));
      upsert(loop, node("worker2", 2));
      published.clear();
      upsert(loop, pod("default", "a", "worker1", "10.10.1.10"));
      assertThat(published).hasSize(1);
      assertThat(published.get(0)).contains("worker1");
      assertThat(loop.desired("worker1").seq()).isEqualTo(3);
      assertThat(loop.nodes()).containsExactly("worker1", "worker2");
    }
  }

  @Test
  void eachSnapshotCarriesTheCompilersChangesFromTheNodesPreviousSnapshot() {
    try (StateLoop loop = loop()) {
      upsert(loop, node("worker1", 1));
      DesiredFlows first = loop.desired("worker1");
      assertThat(first.baseSeq()).as("a node's first snapshot").isEqualTo(DesiredFlows.NO_BASE);
      upsert(loop, node("worker2", 2));
      assertThat(loop.desired("worker1").baseSeq()).as("its route to worker2").isEqualTo(1);
      DesiredFlows prev = loop.desired("worker1");
      for (String name : List.of("a", "b", "c")) {
        upsert(loop, pod("default", name, "worker1", "10.10.1." + (10 + name.charAt(0) - 'a')));
        DesiredFlows d = loop.desired("worker1");
        assertThat(d.baseSeq()).isEqualTo(prev.seq());
        assertThat(d.seq()).isGreaterThan(prev.seq());
        assertThat(d.changes())
            .isEqualTo(
                TableChanges.between(
                    prev.flows().flows(),
                    prev.flows().groups(),
                    d.flows().flows(),
                    d.flows().groups()));
        assertThat(d.changes().isEmpty()).isFalse();
        prev = d;
      }
    }
  }
}
