package dev.sluice.controller.runtime;

import static dev.sluice.controller.runtime.RuntimeFixtures.desired;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.compiler.flow.Flow;
import dev.sluice.southbound.tables.TablePlan;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class SwitchReconcilerTest {

  @Test
  void theFirstRoundWaitsForTheStartupBarrierThenReadsAndSendsOneBundle() throws Exception {
    DesiredFlows d = desired("worker1", 2, 1);
    try (ReconcilerHarness h = new ReconcilerHarness(new FakeSwitch(), d)) {
      Thread.sleep(150);
      assertThat(h.sw.reads.get()).isZero();
      assertThat(h.sw.bundles()).isEmpty();
      assertThat(h.r.status().phase()).isEqualTo(SwitchReconciler.Phase.STARTING);

      h.barrier.complete(null);
      h.awaitConverged();
      assertThat(h.sw.prepares.get()).isEqualTo(1);
      assertThat(h.sw.reads.get()).isEqualTo(1);
      assertThat(h.sw.bundles()).hasSize(1);
      assertThat(h.sw.flowSet()).isEqualTo(Set.copyOf(d.flows().flows()));
      assertThat(h.changes).containsExactly(SwitchReconciler.Cause.RESYNC);
      assertThat(h.realized).extracting(DesiredFlows::seq).contains(1L);
    }
  }

  @Test
  void aRoundSendsExactlyTheDifference() {
    DesiredFlows d1 = desired("worker1", 2, 1);
    DesiredFlows d2 = desired("worker1", 3, 2);
    try (ReconcilerHarness h = new ReconcilerHarness(new FakeSwitch(), d1)) {
      h.barrier.complete(null);
      h.awaitConverged();
      h.publish(d2);
      h.awaitConverged();
      List<TablePlan> bundles = h.sw.bundles();
      assertThat(bundles).hasSize(2);
      TablePlan expected =
          TablePlan.between(
              d1.flows().flows(), d1.flows().groups(), d2.flows().flows(), d2.flows().groups());
      assertThat(bundles.get(1)).isEqualTo(expected);
      assertThat(expected.isEmpty()).isFalse();
      assertThat(h.sw.flowSet()).isEqualTo(Set.copyOf(d2.flows().flows()));
      assertThat(h.sw.reads.get()).as("no re-read between rounds").isEqualTo(1);
      assertThat(h.changes).endsWith(SwitchReconciler.Cause.EVENTS);
    }
  }

  @Test
  void aBurstDuringARoundCostsOneMoreRoundAndTheCacheMovesOnlyOnCommit() {
    DesiredFlows d1 = desired("worker1", 1, 1);
    try (ReconcilerHarness h = new ReconcilerHarness(new FakeSwitch(), d1)) {
      h.barrier.complete(null);
      h.awaitConverged();
      List<Flow> before = h.r.installedFlows();

      CompletableFuture<Void> hold = new CompletableFuture<>();
      h.sw.hold = hold;
      h.publish(desired("worker1", 2, 2));
      ReconcilerHarness.await(
          () -> h.r.status().phase() == SwitchReconciler.Phase.ROUND, "round in flight");
      for (int i = 3; i <= 8; i++) {
        h.publish(desired("worker1", i, i));
      }
      // The bundle is not committed yet: the cache still holds what the switch acknowledged.
      assertThat(h.r.installedFlows()).isEqualTo(before);
      assertThat(h.r.status().installedSeq()).isEqualTo(1);

      hold.complete(null);
      h.awaitConverged();
      assertThat(h.sw.bundles()).as("initial, the held round, one more").hasSize(3);
      assertThat(h.r.status().installedSeq()).isEqualTo(8);
      assertThat(h.sw.flowSet()).isEqualTo(Set.copyOf(h.desired.get().flows().flows()));
    }
  }

  @Test
  void aRejectedFlowIsLeftOutUntilItsDesiredVersionChanges() {
    DesiredFlows d1 = desired("worker1", 2, 1);
    Flow bad = d1.flows().flows().get(d1.flows().flows().size() - 1);
    FakeSwitch sw = new FakeSwitch();
    sw.refuse.add(bad.key());
    try (ReconcilerHarness h = new ReconcilerHarness(sw, d1)) {
      h.barrier.complete(null);
      h.awaitConverged();
      assertThat(sw.bundles()).as("the rejected bundle, then the rest").hasSize(2);
      assertThat(sw.flowSet()).doesNotContain(bad).hasSize(d1.flows().flows().size() - 1);
      assertThat(h.r.status().rejectedFlows()).isEqualTo(1);
      assertThat(h.errors).anyMatch(e -> e.contains("OVS rejected"));

      // The same version again: still left out, nothing is sent.
      sw.refuse.clear();
      h.publish(new DesiredFlows(d1.flows(), d1.ports(), 2));
      h.awaitConverged();
      assertThat(sw.bundles()).hasSize(2);
      assertThat(sw.flowSet()).doesNotContain(bad);

      // A new version of the flow is tried again.
      List<Flow> changed = new ArrayList<>(d1.flows().flows());
      Flow newer = bad.withCookie(bad.cookie() + 1);
      changed.set(changed.size() - 1, newer);
      h.publish(desired("worker1", changed, d1.flows().groups(), 3));
      h.awaitConverged();
      assertThat(sw.flowSet()).contains(newer);
      assertThat(h.r.status().rejectedFlows()).isZero();
    }
  }

  @Test
  void aFailedRoundBacksOffRereadsTheSwitchAndRetries() {
    DesiredFlows d1 = desired("worker1", 1, 1);
    DesiredFlows d2 = desired("worker1", 2, 2);
    FakeSwitch sw = new FakeSwitch();
    try (ReconcilerHarness h = new ReconcilerHarness(sw, d1)) {
      h.barrier.complete(null);
      h.awaitConverged();
      sw.failApplies.set(2);
      h.publish(d2);
      ReconcilerHarness.await(
          () -> h.r.status().phase() == SwitchReconciler.Phase.BACKOFF, "backoff");
      assertThat(h.r.status().lastError()).contains("barrier timed out");
      h.awaitConverged();
      assertThat(sw.reads.get()).as("one read per failure, plus the first").isEqualTo(3);
      assertThat(sw.bundles()).hasSize(4);
      assertThat(sw.flowSet()).isEqualTo(Set.copyOf(d2.flows().flows()));
      assertThat(h.r.status().lastError()).isNull();
    }
  }

  @Test
  void anEmptySwitchAfterAnOvsRestartGetsEverythingAndAnUpToDateOneNothing() {
    DesiredFlows d = desired("worker1", 2, 1);
    FakeSwitch restarted = new FakeSwitch();
    try (ReconcilerHarness h = new ReconcilerHarness(restarted, d)) {
      h.barrier.complete(null);
      h.awaitConverged();
      assertThat(restarted.bundles()).hasSize(1);
      assertThat(restarted.bundles().get(0).flows().adds())
          .containsExactlyInAnyOrderElementsOf(d.flows().flows());
    }
    FakeSwitch upToDate = new FakeSwitch();
    d.flows().flows().forEach(f -> upToDate.flows.put(f.key(), f));
    d.flows().groups().forEach(g -> upToDate.groups.put(g.groupId(), g));
    try (ReconcilerHarness h = new ReconcilerHarness(upToDate, d)) {
      h.barrier.complete(null);
      h.awaitConverged();
      assertThat(upToDate.bundles()).isEmpty();
      assertThat(h.realized).extracting(DesiredFlows::seq).contains(1L);
    }
  }

  @Test
  void aDisconnectedSwitchClosesTheReconciler() {
    DesiredFlows d = desired("worker1", 1, 1);
    FakeSwitch sw = new FakeSwitch();
    try (ReconcilerHarness h = new ReconcilerHarness(sw, d)) {
      h.barrier.complete(null);
      h.awaitConverged();
      sw.connected = false;
      sw.hold = null;
      h.publish(desired("worker1", 2, 2));
      ReconcilerHarness.await(() -> !h.r.converged(), "not converged");
      assertThat(h.r.status().phase())
          .isIn(SwitchReconciler.Phase.IDLE, SwitchReconciler.Phase.CLOSED);
      assertThat(sw.bundles()).hasSize(1);
    }
  }
}
