package dev.sluice.controller.runtime;

import static dev.sluice.controller.runtime.RuntimeFixtures.desired;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.compiler.audit.Drift;
import dev.sluice.compiler.flow.Flow;
import dev.sluice.compiler.flow.TableChanges;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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
      List<TableChanges> bundles = h.sw.bundles();
      assertThat(bundles).hasSize(2);
      TableChanges expected =
          TableChanges.between(
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
      assertThat(restarted.bundles().get(0).flowAdds())
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

  // ---------------------------------------------------------------- tracked vs full compare

  @Test
  void consecutiveSnapshotsAreSentAsTheirTrackedChanges() {
    List<DesiredFlows> steps = RuntimeFixtures.trackedSteps("worker1", 3);
    try (ReconcilerHarness h = new ReconcilerHarness(new FakeSwitch(), steps.get(0))) {
      h.barrier.complete(null);
      h.awaitConverged();
      assertThat(h.rounds("full")).as("the first round reads and compares").isEqualTo(1);
      for (int i = 1; i < steps.size(); i++) {
        DesiredFlows d = steps.get(i);
        assertThat(d.changes().isEmpty()).isFalse();
        h.publish(d);
        h.awaitConverged();
        assertThat(h.sw.bundles()).last().isEqualTo(d.changes());
        assertThat(h.sw.flowSet()).isEqualTo(Set.copyOf(d.flows().flows()));
      }
      assertThat(h.rounds("tracked")).isEqualTo(3);
      assertThat(h.rounds("full")).isEqualTo(1);
      assertThat(h.sw.reads.get()).isEqualTo(1);
      assertThat(h.r.installedFlows())
          .containsExactlyInAnyOrderElementsOf(steps.get(3).flows().flows());
    }
  }

  @Test
  void aSkippedSnapshotFallsBackToAFullCompareAndStillConverges() {
    List<DesiredFlows> steps = RuntimeFixtures.trackedSteps("worker1", 3);
    try (ReconcilerHarness h = new ReconcilerHarness(new FakeSwitch(), steps.get(0))) {
      h.barrier.complete(null);
      h.awaitConverged();
      // Seq 3's changes start from seq 2, which this switch never got.
      DesiredFlows d3 = steps.get(2);
      h.publish(d3);
      h.awaitConverged();
      assertThat(h.rounds("tracked")).isZero();
      assertThat(h.rounds("full")).isEqualTo(2);
      assertThat(h.sw.bundles())
          .last()
          .isEqualTo(
              TableChanges.between(
                  steps.get(0).flows().flows(),
                  List.of(),
                  d3.flows().flows(),
                  d3.flows().groups()));
      assertThat(h.sw.flowSet()).isEqualTo(Set.copyOf(d3.flows().flows()));

      // From the snapshot the full compare installed, tracked changes apply again.
      h.publish(steps.get(3));
      h.awaitConverged();
      assertThat(h.rounds("tracked")).isEqualTo(1);
      assertThat(h.sw.flowSet()).isEqualTo(Set.copyOf(steps.get(3).flows().flows()));
    }
  }

  @Test
  void aBurstCoalescedIntoOneRoundIsComparedInFull() {
    List<DesiredFlows> steps = RuntimeFixtures.trackedSteps("worker1", 3);
    try (ReconcilerHarness h = new ReconcilerHarness(new FakeSwitch(), steps.get(0))) {
      h.barrier.complete(null);
      h.awaitConverged();
      CompletableFuture<Void> hold = new CompletableFuture<>();
      h.sw.hold = hold;
      h.publish(steps.get(1));
      ReconcilerHarness.await(
          () -> h.r.status().phase() == SwitchReconciler.Phase.ROUND, "round in flight");
      h.publish(steps.get(2));
      h.publish(steps.get(3));
      hold.complete(null);
      h.awaitConverged();
      assertThat(h.rounds("tracked")).as("seq 2 only").isEqualTo(1);
      assertThat(h.rounds("full")).as("the first round and seq 4 (seq 3 skipped)").isEqualTo(2);
      assertThat(h.sw.flowSet()).isEqualTo(Set.copyOf(steps.get(3).flows().flows()));
    }
  }

  @Test
  void aReconnectAFailureAndAnAuditEachMakeTheNextRoundAFullCompare() throws Exception {
    List<DesiredFlows> steps = RuntimeFixtures.trackedSteps("worker1", 4);
    FakeSwitch sw = new FakeSwitch();
    try (ReconcilerHarness h = new ReconcilerHarness(sw, steps.get(0))) {
      h.barrier.complete(null);
      h.awaitConverged();
      h.publish(steps.get(1));
      h.awaitConverged();
      assertThat(h.rounds("tracked")).isEqualTo(1);

      // A failed round re-reads the switch: the retry compares in full.
      sw.failApplies.set(1);
      h.publish(steps.get(2));
      h.awaitConverged();
      assertThat(h.rounds("tracked")).as("the failed tracked round").isEqualTo(2);
      assertThat(h.rounds("full")).as("first round, then the retry").isEqualTo(2);
      assertThat(sw.flowSet()).isEqualTo(Set.copyOf(steps.get(2).flows().flows()));

      // An audit takes what it read as the cache: the next round compares in full.
      assertThat(h.r.audit(false).get(10, TimeUnit.SECONDS).clean()).isTrue();
      h.publish(steps.get(3));
      h.awaitConverged();
      assertThat(h.rounds("full")).isEqualTo(3);
      assertThat(h.rounds("tracked")).isEqualTo(2);
    }
    // A new connection (a reconnect: a new reconciler for the same switch) reads and compares,
    // even though the snapshot it starts with carries tracked changes from seq 4.
    try (ReconcilerHarness h = new ReconcilerHarness(sw, steps.get(4))) {
      h.barrier.complete(null);
      h.awaitConverged();
      assertThat(h.rounds("tracked")).isZero();
      assertThat(h.rounds("full")).isEqualTo(1);
      assertThat(sw.flowSet()).isEqualTo(Set.copyOf(steps.get(4).flows().flows()));
    }
  }

  @Test
  void driftBehindATrackedRoundIsFoundAndRepairedByTheAudit() throws Exception {
    List<DesiredFlows> steps = RuntimeFixtures.trackedSteps("worker1", 3);
    FakeSwitch sw = new FakeSwitch();
    try (ReconcilerHarness h = new ReconcilerHarness(sw, steps.get(0))) {
      h.barrier.complete(null);
      h.awaitConverged();
      h.publish(steps.get(1));
      h.awaitConverged();

      // Someone deletes a flow behind the controller's back (ovs-ofctl del-flows) that the next
      // changes leave alone, and another that they modify, if any (a strict modify of a missing
      // flow adds nothing under OpenFlow 1.3).
      DesiredFlows d3 = steps.get(2);
      Flow untouched =
          steps.get(1).flows().flows().stream()
              .filter(f -> d3.flows().flows().contains(f))
              .findFirst()
              .orElseThrow();
      synchronized (sw) {
        sw.flows.remove(untouched.key());
        d3.changes().flowModifies().stream().findFirst().ifPresent(f -> sw.flows.remove(f.key()));
      }
      h.publish(d3);
      h.awaitConverged();
      assertThat(h.rounds("tracked")).isEqualTo(2);
      assertThat(h.sw.bundles()).last().isEqualTo(d3.changes());
      // The tracked round trusted the cache: the switch still lacks the flow.
      assertThat(sw.flowSet()).doesNotContain(untouched);

      SwitchReconciler.AuditOutcome o = h.r.audit(true).get(10, TimeUnit.SECONDS);
      assertThat(o.clean()).isFalse();
      assertThat(o.report().drifts())
          .anyMatch(x -> x.kind() == Drift.Kind.MISSING && untouched.equals(x.flow()));
      assertThat(o.repaired()).isTrue();
      assertThat(sw.flowSet()).isEqualTo(Set.copyOf(d3.flows().flows()));

      // After the audit, the next round compares in full, and tracking resumes after it.
      h.publish(steps.get(3));
      h.awaitConverged();
      assertThat(h.rounds("full")).isEqualTo(2);
      assertThat(sw.flowSet()).isEqualTo(Set.copyOf(steps.get(3).flows().flows()));
    }
  }
}
