package dev.sluice.controller.runtime;

import dev.sluice.compiler.audit.AuditReport;
import dev.sluice.compiler.audit.FlowAudit;
import dev.sluice.compiler.flow.Flow;
import dev.sluice.compiler.flow.Group;
import dev.sluice.compiler.flow.PortNames;
import dev.sluice.compiler.flow.TableChanges;
import dev.sluice.compiler.pipeline.Provenance;
import dev.sluice.southbound.tables.Installed;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Audits one switch in its reconciler's turn ({@link SwitchReconciler#inTurn}): reads the switch's
 * flows and groups, classifies the drift from the desired snapshot ({@link FlowAudit}), takes what
 * it read as the installed cache, and with repair sends the fix as one bundle, exactly like a
 * full-compare round. Taking what it read resets the reconciler's tracked base, so the next round
 * compares in full too (an audit is a resync). Requests queued while another turn or round is in
 * flight share the next audit (repairing if any asked). Skipped while the startup barrier is
 * pending or the switch is gone.
 */
final class Auditor {
  private static final Logger log = LoggerFactory.getLogger(Auditor.class);

  /** A request for an audit, completed when it ran. */
  private record Request(boolean repair, CompletableFuture<SwitchReconciler.AuditOutcome> result) {}

  private final SwitchReconciler r;

  // Guarded by this.
  private final List<Request> pending = new ArrayList<>();
  private boolean queued;
  private SwitchReconciler.@Nullable AuditOutcome last;

  Auditor(SwitchReconciler r) {
    this.r = r;
  }

  /** Audits once nothing else is in flight; completes at once, skipped, when it cannot run. */
  CompletableFuture<SwitchReconciler.AuditOutcome> audit(boolean repair) {
    CompletableFuture<SwitchReconciler.AuditOutcome> f = new CompletableFuture<>();
    boolean enqueue;
    synchronized (this) {
      pending.add(new Request(repair, f));
      enqueue = !queued;
      queued = true;
    }
    if (enqueue) {
      String skip = r.inTurn(new Turn());
      if (skip != null) {
        drop(skip);
      }
    }
    return f;
  }

  /** The last audit that ran, if any. */
  synchronized Optional<SwitchReconciler.AuditOutcome> lastAudit() {
    return Optional.ofNullable(last);
  }

  private void drop(String why) {
    List<Request> dropped = take();
    SwitchReconciler.AuditOutcome o = skipped(why);
    dropped.forEach(q -> q.result().complete(o));
  }

  private synchronized List<Request> take() {
    List<Request> l = List.copyOf(pending);
    pending.clear();
    queued = false;
    return l;
  }

  private final class Turn implements SwitchReconciler.Turn {
    @Override
    public CompletableFuture<@Nullable DesiredFlows> run() {
      List<Request> requests = take();
      boolean repair = requests.stream().anyMatch(Request::repair);
      long start = System.nanoTime();
      Instant time = Instant.now();
      SwitchReconciler.Context ctx = r.context();
      return r.tables()
          .read()
          .thenComposeAsync(inst -> compare(inst, repair, time, start), ctx.scheduler())
          .handleAsync((done, e) -> finish(requests, done, e), ctx.scheduler());
    }

    @Override
    public void dropped() {
      drop("switch disconnected");
    }
  }

  /** What an audit did, with the repair bundle if one was committed. */
  private record Done(
      SwitchReconciler.AuditOutcome outcome,
      @Nullable TableChanges repair,
      @Nullable DesiredFlows desired) {}

  private CompletableFuture<Done> compare(
      Installed inst, boolean repair, Instant time, long start) {
    DesiredFlows d = r.desired();
    List<Flow> wantFlows = d == null ? List.of() : d.flows().flows();
    List<Group> wantGroups = d == null ? List.of() : d.flows().groups();
    // When events arrived since the last acknowledged round (their round comes next), the switch
    // should still hold what Sluice last installed: compare with that, or every change not yet
    // sent would be reported as drift.
    SwitchReconciler.InstalledCache cache = r.installed();
    boolean behind = d != null && cache.seq() >= 0 && cache.seq() != d.seq();
    List<Flow> expectedFlows = behind ? cache.flows() : wantFlows;
    List<Group> expectedGroups = behind ? cache.groups() : wantGroups;
    Provenance prov = r.context().provenance().get();
    AuditReport report =
        FlowAudit.audit(inst.flows(), inst.groups(), expectedFlows, expectedGroups, prov);
    PortNames names = d != null ? d.ports().names() : r.portNames();
    // What the audit read is what the switch holds: the next round starts from it.
    r.adopt(
        inst.flows(),
        inst.groups(),
        !report.isClean() || d == null ? -1 : behind ? cache.seq() : d.seq());
    List<Flow> want = r.withoutRejected(wantFlows);
    TableChanges plan = inst.changesTo(want, wantGroups);
    long seq = d == null ? -1 : d.seq();
    if (!repair || report.isClean() || plan.isEmpty() || d == null) {
      long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      return CompletableFuture.completedFuture(
          new Done(outcome(time, report, seq, names, prov, false, 0, ms), null, null));
    }
    return r.send(plan)
        .thenApply(
            v -> {
              long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
              synchronized (r) {
                r.adopt(want, wantGroups, d.seq());
                r.count(plan, ms, SwitchReconciler.Cause.AUDIT_REPAIR.text());
              }
              return new Done(
                  outcome(time, report, d.seq(), names, prov, true, plan.size(), ms), plan, d);
            });
  }

  /** Completes the requests, journals, and tells the reconciler what the switch now holds. */
  private @Nullable DesiredFlows finish(
      List<Request> requests, @Nullable Done done, @Nullable Throwable error) {
    Throwable e = SwitchReconciler.unwrap(error);
    if (e != null || done == null) {
      Throwable failure =
          e != null
              ? e
              : new IllegalStateException("audit of " + r.logLabel() + " produced nothing");
      log.warn("{}: audit failed: {}", r.logLabel(), SwitchReconciler.describe(failure));
      requests.forEach(q -> q.result().completeExceptionally(failure));
      throw failure instanceof RuntimeException x ? x : new IllegalStateException(failure);
    }
    SwitchReconciler.AuditOutcome o = done.outcome();
    synchronized (this) {
      last = o;
    }
    SwitchReconciler.Context ctx = r.context();
    ctx.metrics().audit(r.node(), o);
    try {
      ctx.listener().audited(r, o);
      if (done.repair() != null && done.desired() != null) {
        ctx.listener()
            .changed(r, SwitchReconciler.Cause.AUDIT_REPAIR, done.repair(), done.desired());
      }
    } catch (RuntimeException x) {
      log.warn("{}: audit journal: {}", r.logLabel(), x.toString());
    }
    requests.forEach(q -> q.result().complete(o));
    if (!o.clean() && !o.repaired()) {
      return null;
    }
    DesiredFlows d = r.desired();
    return d != null && d.seq() == o.desiredSeq() ? d : null;
  }

  private SwitchReconciler.AuditOutcome outcome(
      Instant time,
      AuditReport report,
      long seq,
      PortNames names,
      Provenance prov,
      boolean repaired,
      int sent,
      long ms) {
    SwitchTables sw = r.tables();
    return new SwitchReconciler.AuditOutcome(
        r.node(),
        sw.datapathId(),
        sw.bridge(),
        time,
        report,
        seq,
        names,
        prov,
        repaired,
        sent,
        ms,
        null);
  }

  private SwitchReconciler.AuditOutcome skipped(String why) {
    SwitchTables sw = r.tables();
    return new SwitchReconciler.AuditOutcome(
        r.node(),
        sw.datapathId(),
        sw.bridge(),
        Instant.now(),
        null,
        -1,
        sw.portNames(),
        Provenance.empty(),
        false,
        0,
        0,
        why);
  }
}
