package dev.sluice.controller.runtime;

import dev.sluice.compiler.audit.AuditReport;
import dev.sluice.compiler.audit.FlowAudit;
import dev.sluice.compiler.flow.Flow;
import dev.sluice.compiler.flow.FlowSetDiff;
import dev.sluice.compiler.flow.FlowText;
import dev.sluice.compiler.flow.Group;
import dev.sluice.compiler.flow.OfPort;
import dev.sluice.compiler.flow.PortNames;
import dev.sluice.compiler.pipeline.Provenance;
import dev.sluice.southbound.channel.BundleFailedException;
import dev.sluice.southbound.channel.BundleResult;
import dev.sluice.southbound.channel.SwitchDisconnectedException;
import dev.sluice.southbound.channel.SwitchSession;
import dev.sluice.southbound.tables.Installed;
import dev.sluice.southbound.tables.TablePlan;
import dev.sluice.southbound.tables.TableSync;
import dev.sluice.southbound.tables.TlvMap;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives one switch from its installed tables to its node's desired tables (OVN {@code ofctrl}).
 *
 * <ul>
 *   <li>A <b>round</b> takes the current desired snapshot, diffs it against the installed cache,
 *       and sends the difference as one ordered, atomic bundle followed by a barrier ({@link
 *       TableSync#apply}). The installed cache changes only when the switch accepted the bundle.
 *   <li>At most one round is in flight ({@link Phase#ROUND}); changes arriving meanwhile only mark
 *       the reconciler dirty, so a burst of events costs one more round, not one per event.
 *   <li>The first round after connecting waits for the event source's startup barrier, ensures the
 *       Geneve TLV map and reads the switch's flows and groups: what already matches stays, what is
 *       stale is deleted, what is missing is added — all in the one bundle. A controller restart
 *       against an up-to-date switch therefore sends nothing; an OVS restart (empty tables) replays
 *       everything.
 *   <li>A flow the switch rejects is logged with the switch and OVS's error, remembered, and left
 *       out of later rounds until its desired version changes, so the rest converges. Other
 *       failures (timeouts) re-read the switch and retry with exponential backoff.
 *   <li>Back-pressure: a round waits until the channel is writable before it sends.
 *   <li><b>Audits</b> ({@link #audit}) run as rounds of their own, in the same one-at-a-time order:
 *       after a pending event round, never beside one, and never before the startup barrier. An
 *       audit reads the switch's flows and groups, classifies the drift from the desired snapshot
 *       ({@link FlowAudit}) and takes what it read as the installed cache; a repair then sends the
 *       fix as one bundle, exactly like a round.
 * </ul>
 */
public final class SwitchReconciler {
  private static final Logger log = LoggerFactory.getLogger(SwitchReconciler.class);

  /** Where a reconciler is. */
  public enum Phase {
    /** Waiting for the startup barrier and the first read. */
    STARTING,
    /** Nothing in flight. */
    IDLE,
    /** A round (read and/or bundle) is in flight. */
    ROUND,
    /** Waiting before retrying a failed round. */
    BACKOFF,
    /** The switch disconnected or the controller stops. */
    CLOSED
  }

  /** What the API shows of a reconciler. */
  public record Status(
      String node,
      String datapathId,
      String bridge,
      String remoteAddress,
      Phase phase,
      int flowsDesired,
      int flowsInstalled,
      long desiredSeq,
      long installedSeq,
      long rounds,
      long flowMods,
      long rejectedFlows,
      @Nullable String lastError,
      @Nullable String lastRoundAt,
      long lastRoundMillis) {}

  /** Why a round changed a switch, for the audit log. */
  public enum Cause {
    /** Events changed the node's desired flows. */
    EVENTS("events"),
    /**
     * The first round after the switch connected (or after a failure): read, then the difference.
     */
    RESYNC("reconnect resync"),
    /** An audit found drift and repaired it. */
    AUDIT_REPAIR("audit repair");

    private final String text;

    Cause(String text) {
      this.text = text;
    }

    /** {@code events}, {@code reconnect resync}, {@code audit repair}. */
    public String text() {
      return text;
    }
  }

  /**
   * What one audit found and did.
   *
   * @param node the node
   * @param datapathId the switch's datapath id
   * @param bridge the switch's bridge name
   * @param time when the audit read the switch
   * @param report the drift (null when skipped)
   * @param desiredSeq the desired snapshot compared with
   * @param names port names, to print flows
   * @param provenance the provenance the report was made with
   * @param repaired whether a repair bundle was committed
   * @param changesSent flow-mods and group-mods in the repair bundle
   * @param millis read + compare (+ repair) time
   * @param skipped why the audit did not run (startup barrier pending, switch disconnected), or
   *     null
   */
  public record AuditOutcome(
      String node,
      String datapathId,
      String bridge,
      Instant time,
      @Nullable AuditReport report,
      long desiredSeq,
      PortNames names,
      Provenance provenance,
      boolean repaired,
      int changesSent,
      long millis,
      @Nullable String skipped) {

    /** Whether the audit ran and found no drift. */
    public boolean clean() {
      return report != null && report.isClean();
    }
  }

  /** Receives what the reconciler did to the switch and what audits found (the audit log). */
  interface Journal {
    /** A committed bundle. */
    void changed(SwitchReconciler r, Cause cause, TablePlan plan, DesiredFlows desired);

    /** An audit ran (or was skipped). */
    void audited(SwitchReconciler r, AuditOutcome outcome);
  }

  /** A request for an audit, completed when it ran. */
  private record AuditRequest(boolean repair, CompletableFuture<AuditOutcome> result) {}

  /** Counters that survive reconnections, per node. */
  public static final class Counters {
    final java.util.concurrent.atomic.AtomicLong rounds =
        new java.util.concurrent.atomic.AtomicLong();
    final java.util.concurrent.atomic.AtomicLong bundles =
        new java.util.concurrent.atomic.AtomicLong();
    final java.util.concurrent.atomic.AtomicLong flowAdds =
        new java.util.concurrent.atomic.AtomicLong();
    final java.util.concurrent.atomic.AtomicLong flowModifies =
        new java.util.concurrent.atomic.AtomicLong();
    final java.util.concurrent.atomic.AtomicLong flowDeletes =
        new java.util.concurrent.atomic.AtomicLong();
    final java.util.concurrent.atomic.AtomicLong groupMods =
        new java.util.concurrent.atomic.AtomicLong();
    final java.util.concurrent.atomic.AtomicLong rejected =
        new java.util.concurrent.atomic.AtomicLong();

    /** Flow-mods sent (adds + modifies + deletes) since the controller started. */
    public long flowMods() {
      return flowAdds.get() + flowModifies.get() + flowDeletes.get();
    }

    /** Bundles sent. */
    public long bundles() {
      return bundles.get();
    }

    /** Flow-mods the switch rejected. */
    public long rejected() {
      return rejected.get();
    }
  }

  private final SwitchSession session;
  private final String node;
  private final Supplier<@Nullable DesiredFlows> desired;
  private final CompletableFuture<Void> barrier;
  private final ScheduledExecutorService scheduler;
  private final Counters counters;
  private final ControllerMetrics metrics;
  private final Consumer<DesiredFlows> onRealized;
  private final Supplier<ControllerProbe> probe;
  private final Consumer<String> onError;
  private final Duration retryMin;
  private final Duration retryMax;
  private final String label;
  private final Supplier<Provenance> provenance;
  private final Journal journal;

  // Guarded by this.
  private Phase phase = Phase.STARTING;
  private boolean dirty = true;
  private boolean needsRead = true;
  private List<Flow> installedFlows = List.of();
  private List<Group> installedGroups = List.of();
  private long installedSeq = -1;
  private final Map<Flow.Key, Flow> rejected = new HashMap<>();
  private Duration backoff;
  private @Nullable String lastError;
  private @Nullable Instant lastRoundAt;
  private long lastRoundMillis;
  private final List<AuditRequest> audits = new ArrayList<>();
  private @Nullable AuditOutcome lastAudit;
  private @Nullable Round lastRepair;

  SwitchReconciler(
      SwitchSession session,
      String node,
      Supplier<@Nullable DesiredFlows> desired,
      CompletableFuture<Void> barrier,
      ScheduledExecutorService scheduler,
      Counters counters,
      ControllerMetrics metrics,
      Consumer<DesiredFlows> onRealized,
      Supplier<ControllerProbe> probe,
      Consumer<String> onError,
      Duration retryMin,
      Duration retryMax,
      Supplier<Provenance> provenance,
      Journal journal) {
    this.provenance = provenance;
    this.journal = journal;
    this.session = session;
    this.node = node;
    this.desired = desired;
    this.barrier = barrier;
    this.scheduler = scheduler;
    this.counters = counters;
    this.metrics = metrics;
    this.onRealized = onRealized;
    this.probe = probe;
    this.onError = onError;
    this.retryMin = retryMin;
    this.retryMax = retryMax;
    this.backoff = retryMin;
    this.label = label(session) + " node " + node;
  }

  /** {@code switch br-int dpid=0000000000000001}. */
  static String label(SwitchSession s) {
    String bridge = s.ports().byNumber(OfPort.LOCAL).map(p -> p.name()).orElse("?");
    return "switch " + bridge + " dpid=" + s.datapathIdString();
  }

  /** The session. */
  public SwitchSession session() {
    return session;
  }

  /** The node. */
  public String node() {
    return node;
  }

  /** Starts: after the startup barrier, the first round reads the switch. */
  void start() {
    barrier.whenCompleteAsync(
        (v, e) -> {
          if (e != null) {
            log.warn("{}: startup barrier failed ({}); not reconciling", label, e.toString());
            return;
          }
          synchronized (this) {
            if (phase == Phase.STARTING) {
              phase = Phase.IDLE;
            }
          }
          kick();
        },
        scheduler);
  }

  /** The desired state changed: start a round unless one is in flight (then it follows). */
  void markDirty() {
    synchronized (this) {
      dirty = true;
    }
    scheduler.execute(this::kick);
  }

  /** Stops; an in-flight round completes but nothing follows; queued audits are skipped. */
  void close() {
    List<AuditRequest> dropped;
    synchronized (this) {
      phase = Phase.CLOSED;
      dropped = List.copyOf(audits);
      audits.clear();
    }
    for (AuditRequest a : dropped) {
      a.result().complete(skipped("switch disconnected"));
    }
  }

  /**
   * Audits the switch: once nothing else is in flight (after a pending event round), reads its
   * flows and groups, classifies the drift and, with {@code repair}, sends the fix as one bundle.
   * Completes at once, skipped, while the startup barrier is pending or when the switch is gone.
   * Requests queued while one round is in flight share the next audit (repairing if any asked).
   */
  public CompletableFuture<AuditOutcome> audit(boolean repair) {
    CompletableFuture<AuditOutcome> f = new CompletableFuture<>();
    String skip = null;
    synchronized (this) {
      if (phase == Phase.STARTING) {
        skip = "startup barrier pending";
      } else if (phase == Phase.CLOSED || !session.isConnected()) {
        skip = "switch disconnected";
      } else {
        audits.add(new AuditRequest(repair, f));
      }
    }
    if (skip != null) {
      f.complete(skipped(skip));
      return f;
    }
    scheduler.execute(this::kick);
    return f;
  }

  /** The last audit that ran, if any. */
  public synchronized Optional<AuditOutcome> lastAudit() {
    return Optional.ofNullable(lastAudit);
  }

  /**
   * Reads the switch's flows and groups now, without touching the reconciler's state (what {@code
   * sluice flows --installed} and {@code sluice trace --installed} look at).
   */
  public CompletableFuture<Installed> readSwitch() {
    return TableSync.read(session);
  }

  /** The switch's port names (as {@code ovs-ofctl} prints them). */
  public PortNames portNames() {
    return TableSync.names(session.ports());
  }

  private AuditOutcome skipped(String why) {
    return new AuditOutcome(
        node,
        session.datapathIdString(),
        bridge(),
        Instant.now(),
        null,
        -1,
        portNames(),
        Provenance.empty(),
        false,
        0,
        0,
        why);
  }

  private String bridge() {
    return session.ports().byNumber(OfPort.LOCAL).map(p -> p.name()).orElse("?");
  }

  /** The installed flows (what the switch accepted), sorted by key. */
  public synchronized List<Flow> installedFlows() {
    List<Flow> l = new ArrayList<>(installedFlows);
    l.sort(java.util.Comparator.comparing(Flow::key));
    return l;
  }

  /** Whether the switch holds exactly the desired snapshot and nothing is in flight. */
  public synchronized boolean converged() {
    DesiredFlows d = desired.get();
    return phase == Phase.IDLE && !dirty && d != null && installedSeq == d.seq();
  }

  /** The status now. */
  public synchronized Status status() {
    DesiredFlows d = desired.get();
    return new Status(
        node,
        session.datapathIdString(),
        session.ports().byNumber(OfPort.LOCAL).map(p -> p.name()).orElse("?"),
        session.remoteAddress(),
        phase,
        d == null ? 0 : d.flows().flows().size(),
        installedFlows.size(),
        d == null ? -1 : d.seq(),
        installedSeq,
        counters.rounds.get(),
        counters.flowMods(),
        rejected.size(),
        lastError,
        lastRoundAt == null ? null : lastRoundAt.toString(),
        lastRoundMillis);
  }

  // ---------------------------------------------------------------- rounds

  private void kick() {
    boolean read;
    List<AuditRequest> auditNow = null;
    synchronized (this) {
      if (phase != Phase.IDLE || !session.isConnected()) {
        return;
      }
      if (!dirty) {
        if (audits.isEmpty()) {
          return;
        }
        auditNow = List.copyOf(audits);
        audits.clear();
      }
      dirty = false;
      phase = Phase.ROUND;
      read = needsRead;
    }
    long start = System.nanoTime();
    if (auditNow != null) {
      runAudit(auditNow, start);
      return;
    }
    CompletableFuture<Void> pre =
        read ? readAndCache() : CompletableFuture.<Void>completedFuture(null);
    pre.thenComposeAsync(v -> send(read), scheduler)
        .whenCompleteAsync((o, e) -> finish(o, e, start), scheduler);
  }

  private CompletableFuture<Void> readAndCache() {
    return TlvMap.ensureAntreaMapping(session)
        .exceptionally(
            e -> {
              log.error("{}: Geneve TLV map: {}", label, TableSync.describe(e));
              return null;
            })
        .thenCompose(v -> TableSync.read(session))
        .thenAccept(this::installedFromSwitch);
  }

  private synchronized void installedFromSwitch(Installed inst) {
    installedFlows = inst.flows();
    installedGroups = inst.groups();
    installedSeq = -1;
    needsRead = false;
    log.info(
        "{}: read {} flows and {} groups from the switch",
        label,
        installedFlows.size(),
        installedGroups.size());
  }

  /** One planned round. */
  private record Round(
      DesiredFlows desired,
      List<Flow> flows,
      TablePlan plan,
      long planned,
      @Nullable BundleResult result,
      boolean resync) {}

  private CompletableFuture<@Nullable Round> send(boolean resync) {
    DesiredFlows d = desired.get();
    if (d == null) {
      return CompletableFuture.completedFuture(null);
    }
    List<Flow> want;
    TablePlan plan;
    synchronized (this) {
      want = withoutRejected(d.flows().flows());
      plan = TablePlan.between(installedFlows, installedGroups, want, d.flows().groups());
      lastPlanOrder = order(plan);
    }
    long planned = System.nanoTime();
    if (plan.isEmpty()) {
      return CompletableFuture.completedFuture(new Round(d, want, plan, planned, null, resync));
    }
    return session
        .whenWritable()
        .thenCompose(v -> TableSync.apply(session, plan))
        .thenApply(r -> new Round(d, want, plan, planned, r, resync));
  }

  // ---------------------------------------------------------------- audits

  /** An audit round (phase ROUND is held): read, compare, adopt what was read, maybe repair. */
  private void runAudit(List<AuditRequest> requests, long start) {
    boolean repair = requests.stream().anyMatch(AuditRequest::repair);
    Instant time = Instant.now();
    TableSync.read(session)
        .thenComposeAsync(inst -> compare(inst, repair, time, start), scheduler)
        .whenCompleteAsync((o, e) -> finishAudit(requests, o, e, start), scheduler);
  }

  private CompletableFuture<AuditOutcome> compare(
      Installed inst, boolean repair, Instant time, long start) {
    DesiredFlows d = desired.get();
    List<Flow> wantFlows = d == null ? List.of() : d.flows().flows();
    List<Group> wantGroups = d == null ? List.of() : d.flows().groups();
    // When events arrived since the last acknowledged round (their round comes next), the switch
    // should still hold what Sluice last installed: compare with that, or every change not yet
    // sent would be reported as drift.
    List<Flow> expectedFlows;
    List<Group> expectedGroups;
    long seqBefore;
    boolean behind;
    synchronized (this) {
      seqBefore = installedSeq;
      behind = d != null && installedSeq >= 0 && installedSeq != d.seq();
      expectedFlows = behind ? installedFlows : wantFlows;
      expectedGroups = behind ? installedGroups : wantGroups;
    }
    Provenance prov = provenance.get();
    AuditReport report =
        FlowAudit.audit(inst.flows(), inst.groups(), expectedFlows, expectedGroups, prov);
    PortNames names = d != null ? d.ports().names() : portNames();
    List<Flow> want;
    TablePlan plan;
    synchronized (this) {
      // What the audit read is what the switch holds: the next round starts from it.
      installedFlows = inst.flows();
      installedGroups = inst.groups();
      installedSeq = !report.isClean() || d == null ? -1 : behind ? seqBefore : d.seq();
      needsRead = false;
      want = withoutRejected(wantFlows);
      plan = TablePlan.between(installedFlows, installedGroups, want, wantGroups);
      if (repair) {
        lastPlanOrder = order(plan);
      }
    }
    if (!repair || report.isClean() || plan.isEmpty() || d == null) {
      long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      return CompletableFuture.completedFuture(
          new AuditOutcome(
              node,
              session.datapathIdString(),
              bridge(),
              time,
              report,
              d == null ? -1 : d.seq(),
              names,
              prov,
              false,
              0,
              ms,
              null));
    }
    return session
        .whenWritable()
        .thenCompose(v -> TableSync.apply(session, plan))
        .thenApply(
            r -> {
              long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
              synchronized (this) {
                installedFlows = want;
                installedGroups = wantGroups;
                installedSeq = d.seq();
                count(plan, ms);
                lastRepair = new Round(d, want, plan, System.nanoTime(), r, false);
              }
              return new AuditOutcome(
                  node,
                  session.datapathIdString(),
                  bridge(),
                  time,
                  report,
                  d.seq(),
                  names,
                  prov,
                  true,
                  plan.size(),
                  ms,
                  null);
            });
  }

  private void finishAudit(
      List<AuditRequest> requests,
      @Nullable AuditOutcome outcome,
      @Nullable Throwable error,
      long start) {
    Throwable e = unwrap(error);
    DesiredFlows realized = null;
    Round repair;
    synchronized (this) {
      repair = lastRepair;
      lastRepair = null;
      if (e == null && outcome != null) {
        lastAudit = outcome;
        if (outcome.clean() || outcome.repaired()) {
          DesiredFlows d = desired.get();
          if (d != null && d.seq() == outcome.desiredSeq()) {
            realized = d;
          }
          lastError = null;
          backoff = retryMin;
        }
        if (phase == Phase.ROUND) {
          phase = Phase.IDLE;
        }
      } else if (e instanceof SwitchDisconnectedException || !session.isConnected()) {
        phase = Phase.CLOSED;
      } else if (e != null) {
        handleFailure(e);
      }
    }
    if (e == null && outcome != null) {
      metrics.audit(node, outcome);
      try {
        journal.audited(this, outcome);
        if (repair != null) {
          journal.changed(this, Cause.AUDIT_REPAIR, repair.plan(), repair.desired());
        }
      } catch (RuntimeException x) {
        log.warn("{}: audit journal: {}", label, x.toString());
      }
      requests.forEach(r -> r.result().complete(outcome));
    } else {
      Throwable failure =
          e != null ? e : new IllegalStateException("audit of " + label + " produced nothing");
      log.warn("{}: audit failed: {}", label, TableSync.describe(failure));
      requests.forEach(r -> r.result().completeExceptionally(failure));
    }
    if (realized != null) {
      onRealized.accept(realized);
    }
    kick();
  }

  /** Drops flows the switch rejected in this exact version; forgets rejections no longer wanted. */
  private List<Flow> withoutRejected(List<Flow> flows) {
    if (rejected.isEmpty()) {
      return flows;
    }
    Map<Flow.Key, Flow> still = new HashMap<>();
    List<Flow> out = new ArrayList<>(flows.size());
    for (Flow f : flows) {
      Flow bad = rejected.get(f.key());
      if (f.equals(bad)) {
        still.put(f.key(), f);
      } else {
        out.add(f);
      }
    }
    rejected.clear();
    rejected.putAll(still);
    return out;
  }

  private void finish(@Nullable Round round, @Nullable Throwable error, long start) {
    long acked = System.nanoTime();
    long millis = TimeUnit.NANOSECONDS.toMillis(acked - start);
    Throwable e = unwrap(error);
    DesiredFlows realized = null;
    Round changed = null;
    synchronized (this) {
      lastRoundAt = Instant.now();
      lastRoundMillis = millis;
      counters.rounds.incrementAndGet();
      if (e == null) {
        if (round != null) {
          if (!round.plan().isEmpty()) {
            changed = round;
          }
          installedFlows = round.flows();
          installedGroups = round.desired().flows().groups();
          installedSeq = round.desired().seq();
          backoff = retryMin;
          lastError = null;
          realized = round.desired();
          if (!round.plan().isEmpty()) {
            count(round.plan(), millis);
          }
        }
        if (phase == Phase.ROUND) {
          phase = Phase.IDLE;
        }
      } else if (e instanceof SwitchDisconnectedException || !session.isConnected()) {
        phase = Phase.CLOSED;
        log.info("{}: round abandoned, switch disconnected: {}", label, e.getMessage());
        return;
      } else {
        handleFailure(e);
      }
    }
    if (changed != null) {
      try {
        journal.changed(
            this,
            changed.resync() ? Cause.RESYNC : Cause.EVENTS,
            changed.plan(),
            changed.desired());
      } catch (RuntimeException x) {
        log.warn("{}: audit journal: {}", label, x.toString());
      }
    }
    if (realized != null) {
      probe
          .get()
          .acked(
              node,
              realized.seq(),
              start,
              Objects.requireNonNull(round).planned(),
              acked,
              round.plan().flows().size());
      onRealized.accept(realized);
    }
    kick();
  }

  /** Called with the lock held. */
  private void handleFailure(Throwable e) {
    boolean marked = false;
    if (e instanceof BundleFailedException b) {
      DesiredFlows d = desired.get();
      List<Object> order = lastPlanOrder;
      for (BundleFailedException.Rejected r : b.rejected()) {
        counters.rejected.incrementAndGet();
        metrics.rejected(node);
        Object what = r.index() < order.size() ? order.get(r.index()) : null;
        String text = String.valueOf(r.error().context());
        String msg =
            String.format(
                "%s: OVS rejected %s: %s/%s",
                label, text, r.error().error().typeName(), r.error().error().codeName());
        log.error(msg);
        onError.accept(msg);
        if (what instanceof Flow f && d != null) {
          rejected.put(f.key(), f);
          marked = true;
        }
      }
    }
    String msg = label + ": round failed: " + TableSync.describe(e);
    lastError = msg;
    if (!(e instanceof BundleFailedException)) {
      log.warn(msg);
      onError.accept(msg);
    }
    dirty = true;
    if (marked) {
      // The bad flows are left out next time: retry at once, the rest converges.
      phase = Phase.IDLE;
      return;
    }
    needsRead = !(e instanceof BundleFailedException);
    phase = Phase.BACKOFF;
    Duration wait = backoff;
    Duration doubled = backoff.multipliedBy(2);
    backoff = doubled.compareTo(retryMax) > 0 ? retryMax : doubled;
    log.info("{}: retrying in {} ms", label, wait.toMillis());
    scheduler.schedule(
        () -> {
          synchronized (this) {
            if (phase == Phase.BACKOFF) {
              phase = Phase.IDLE;
            }
          }
          kick();
        },
        wait.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  // The messages of the last plan in bundle order (TableSync.messages), to name rejected ones.
  private List<Object> lastPlanOrder = List.of();

  private void count(TablePlan plan, long millis) {
    FlowSetDiff f = plan.flows();
    int groups = plan.groupAdds().size() + plan.groupModifies().size() + plan.groupDeletes().size();
    counters.bundles.incrementAndGet();
    counters.flowAdds.addAndGet(f.adds().size());
    counters.flowModifies.addAndGet(f.modifies().size());
    counters.flowDeletes.addAndGet(f.deletes().size());
    counters.groupMods.addAndGet(groups);
    metrics.bundle(node, f.adds().size(), f.modifies().size(), f.deletes().size(), groups, millis);
    log.info(
        "{}: bundle {} flow-mods ({} add, {} mod, {} del){} acked in {} ms",
        label,
        f.size(),
        f.adds().size(),
        f.modifies().size(),
        f.deletes().size(),
        groups == 0 ? "" : ", " + groups + " group-mods",
        millis);
  }

  static List<Object> order(TablePlan plan) {
    List<Object> out = new ArrayList<>(plan.size());
    out.addAll(plan.groupAdds());
    out.addAll(plan.groupModifies());
    out.addAll(plan.flows().deletes());
    out.addAll(plan.flows().modifies());
    out.addAll(plan.flows().adds());
    out.addAll(plan.groupDeletes());
    return out;
  }

  private static @Nullable Throwable unwrap(@Nullable Throwable t) {
    Throwable e = t;
    while ((e instanceof CompletionException || e instanceof ExecutionException)
        && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }

  /** Text of a flow for logs and the API. */
  static String text(Flow f, dev.sluice.compiler.flow.PortNames names) {
    return FlowText.formatForAdd(f, names, FlowText.Style.OPENFLOW13);
  }
}
