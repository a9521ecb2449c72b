package dev.sluice.controller.runtime;

import static dev.sluice.controller.runtime.RuntimeFixtures.desired;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.compiler.audit.Drift;
import dev.sluice.compiler.flow.Action;
import dev.sluice.compiler.flow.Flow;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class AuditorTest {

  /** Removes one flow, modifies another and adds a foreign one. */
  private static void tamper(FakeSwitch sw, DesiredFlows d) {
    List<Flow> fs = d.flows().flows();
    sw.flows.remove(fs.get(0).key());
    Flow m = fs.get(1);
    sw.flows.put(m.key(), m.withActions(List.of(new Action.Output(77, 0))));
    Flow extra = new Flow(m.table(), 1, 0, -1L, m.match(), List.of(), 0, 0);
    sw.flows.put(extra.key(), extra);
  }

  @Test
  void classifiesDriftAndSendsNothingWithoutRepair() throws Exception {
    DesiredFlows d = desired("worker1", 2, 1);
    try (ReconcilerHarness h = new ReconcilerHarness(new FakeSwitch(), d)) {
      h.barrier.complete(null);
      h.awaitConverged();
      tamper(h.sw, d);
      SwitchReconciler.AuditOutcome o = h.r.audit(false).get(10, TimeUnit.SECONDS);
      assertThat(o.skipped()).isNull();
      assertThat(o.clean()).isFalse();
      assertThat(o.report().count(Drift.Kind.MISSING)).isEqualTo(1);
      assertThat(o.report().count(Drift.Kind.MODIFIED)).isEqualTo(1);
      assertThat(o.report().count(Drift.Kind.EXTRANEOUS)).isEqualTo(1);
      assertThat(o.repaired()).isFalse();
      assertThat(h.sw.bundles()).hasSize(1);
      assertThat(h.r.lastAudit()).contains(o);
    }
  }

  @Test
  void aRepairSendsTheFixAsOneBundle() throws Exception {
    DesiredFlows d = desired("worker1", 2, 1);
    try (ReconcilerHarness h = new ReconcilerHarness(new FakeSwitch(), d)) {
      h.barrier.complete(null);
      h.awaitConverged();
      tamper(h.sw, d);
      SwitchReconciler.AuditOutcome o = h.r.audit(true).get(10, TimeUnit.SECONDS);
      assertThat(o.repaired()).isTrue();
      assertThat(o.changesSent()).isEqualTo(3);
      assertThat(h.sw.bundles()).hasSize(2);
      assertThat(h.sw.flowSet()).isEqualTo(Set.copyOf(d.flows().flows()));
      assertThat(h.changes).endsWith(SwitchReconciler.Cause.AUDIT_REPAIR);
      h.awaitConverged();
      assertThat(h.r.audit(false).get(10, TimeUnit.SECONDS).clean()).isTrue();
    }
  }

  @Test
  void skippedWhileTheBarrierIsPendingOrTheSwitchIsGone() throws Exception {
    DesiredFlows d = desired("worker1", 1, 1);
    try (ReconcilerHarness h = new ReconcilerHarness(new FakeSwitch(), d)) {
      SwitchReconciler.AuditOutcome o = h.r.audit(true).get(10, TimeUnit.SECONDS);
      assertThat(o.skipped()).isEqualTo("startup barrier pending");
      assertThat(h.sw.reads.get()).isZero();

      h.barrier.complete(null);
      h.awaitConverged();
      h.sw.connected = false;
      o = h.r.audit(true).get(10, TimeUnit.SECONDS);
      assertThat(o.skipped()).isEqualTo("switch disconnected");
    }
  }

  @Test
  void anAuditWaitsForTheRoundInFlightAndRequestsShareOneRead() throws Exception {
    DesiredFlows d = desired("worker1", 1, 1);
    try (ReconcilerHarness h = new ReconcilerHarness(new FakeSwitch(), d)) {
      h.barrier.complete(null);
      h.awaitConverged();
      CompletableFuture<Void> hold = new CompletableFuture<>();
      h.sw.hold = hold;
      h.publish(desired("worker1", 2, 2));
      ReconcilerHarness.await(
          () -> h.r.status().phase() == SwitchReconciler.Phase.ROUND, "round in flight");
      CompletableFuture<SwitchReconciler.AuditOutcome> a = h.r.audit(false);
      CompletableFuture<SwitchReconciler.AuditOutcome> b = h.r.audit(true);
      Thread.sleep(100);
      assertThat(a).isNotDone();
      assertThat(h.sw.reads.get()).as("no audit read beside the round").isEqualTo(1);
      hold.complete(null);
      SwitchReconciler.AuditOutcome oa = a.get(10, TimeUnit.SECONDS);
      assertThat(b.get(10, TimeUnit.SECONDS)).isSameAs(oa);
      assertThat(oa.clean()).as("the round committed first").isTrue();
      assertThat(oa.desiredSeq()).isEqualTo(2);
      assertThat(h.sw.reads.get()).isEqualTo(2);
    }
  }
}
