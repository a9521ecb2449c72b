package dev.sluice.controller.runtime;

import dev.sluice.compiler.audit.AuditReport;
import dev.sluice.compiler.flow.Flow;
import dev.sluice.compiler.flow.FlowText;
import dev.sluice.compiler.flow.Group;
import dev.sluice.compiler.flow.PortNames;
import dev.sluice.compiler.flow.TableChanges;
import dev.sluice.compiler.flow.TableOp;
import dev.sluice.compiler.pipeline.Provenance;
import dev.sluice.southbound.channel.SwitchSession;
import dev.sluice.southbound.tables.Installed;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives one switch from its installed tables to its node's desired tables (OVN {@code ofctrl}),
 * talking to it only through {@link SwitchTables}.
 *
 * <pre>
 *   StateLoop publishes                       SwitchReconciler                     switch
 *   DesiredFlows of the node                  installed cache                      (OVS br-int)
 *   ┌──────────────────────┐                  ┌───────────────────────┐
 *   │ seq 7, flows         │                  │ flows, groups         │
 *   │ changes from seq 6 ──┼── tracked ──────▶│ installedSeq 6        │── one bundle ──▶ tables
 *   │ (baseSeq 6)          │   (switch known  │ trackedSeq 6 (exact)  │   + barrier
 *   └──────────────────────┘    to hold 6)    └───────────────────────┘
 *              │                                        ▲
 *              └── full compare: TableChanges.between( ─┘
 *                    installed cache (or what was read), desired flows)
 * </pre>
 *
 * <p>Each round chooses between OVN's two strategies ({@code ofctrl_put}: sync the tracked changes
 * or compare everything):
 *
 * <ul>
 *   <li><b>Tracked</b>: the snapshot carries the compiler's changes from {@link
 *       DesiredFlows#baseSeq()}, and the switch is known to hold exactly that snapshot — the last
 *       bundle this reconciler committed took it there ({@code trackedSeq}) and nothing since made
 *       the installed view uncertain. The changes are sent as they are: no compare of the node.
 *   <li><b>Full compare</b> in every other case: the first round of a connection and after a
 *       failure (the switch was just read), after an audit (it re-read the switch), when snapshots
 *       were skipped (rounds take the latest snapshot, so a burst coalesces and its base is not the
 *       one installed), after a rejection (a flow is left out), after a port change (published
 *       without tracked changes). {@link TableChanges#between} of the installed cache and the
 *       desired flows.
 * </ul>
 *
 * Both send a {@link TableChanges} in {@link TableChanges#bundle()} order and count in {@code
 * sluice_reconcile_total{node,strategy=tracked|full}}. A tracked round trusts the cache, as a full
 * round between reads does; drift behind the controller's back (a flow deleted with {@code
 * ovs-ofctl}) is found by the {@link Auditor}, which reads the switch and repairs it.
 *
 * <ul>
 *   <li>A <b>round</b> takes the current desired snapshot, computes its changes (tracked or full),
 *       and sends them as one ordered, atomic bundle ({@link SwitchTables#apply}). The installed
 *       cache changes only when the switch committed the bundle.
 *   <li>At most one round is in flight ({@link Phase#ROUND}); changes arriving meanwhile only mark
 *       the reconciler dirty, so a burst of events costs one more round, not one per event.
 *   <li>The first round after connecting waits for the event source's startup barrier, prepares the
 *       switch (Geneve TLV map) and reads its flows and groups: what already matches stays, what is
 *       stale is deleted, what is missing is added — all in the one bundle. A controller restart
 *       against an up-to-date switch therefore sends nothing; an OVS restart (empty tables) replays
 *       everything.
 *   <li>A flow the switch rejects is logged with the switch and OVS's error, remembered, and left
 *       out of later rounds until its desired version changes, so the rest converges. Other
 *       failures (timeouts) re-read the switch and retry with exponential backoff.
 *   <li>Back-pressure: a round waits until the channel is writable before it sends.
 *   <li><b>Turns</b> ({@link #inTurn}): other work on the switch — the {@link Auditor}'s audits —
 *       is queued and runs in the same one-at-a-time order: after a pending event round, never
 *       beside one, and never before the startup barrier.
 * </ul>
 */
public final class SwitchReconciler {
  private static final Logger log = LoggerFactory.getLogger(SwitchReconciler.class);

  /**
   * What every reconciler of a controller shares.
   *
   * @param scheduler runs rounds and turns
   * @param barrier the event source's startup barrier
   * @param desired a node's current desired snapshot (null when it has none)
   * @param provenance the compiled state's provenance (audit reports)
   * @param metrics bundle, rejection and audit metrics
   * @param listener what reconcilers report
   * @param retryMin first backoff after a failed round
   * @param retryMax longest backoff
   */
  record Context(
      ScheduledExecutorService scheduler,
      CompletableFuture<Void> barrier,
      Function<String, @Nullable DesiredFlows> desired,
      Supplier<Provenance> provenance,
      ControllerMetrics metrics,
      Listener listener,
      Duration retryMin,
      Duration retryMax) {
    Context {
      Objects.requireNonNull(scheduler);
      Objects.requireNonNull(barrier);
      Objects.requireNonNull(desired);
      Objects.requireNonNull(provenance);
      Objects.requireNonNull(metrics);
      Objects.requireNonNull(listener);
      if (retryMin.isNegative() || retryMax.compareTo(retryMin) < 0) {
        throw new IllegalArgumentException("retry " + retryMin + ".." + retryMax);
      }
    }
  }

  /** What a reconciler reports; called on the scheduler's threads, must return quickly. */
  interface Listener {
    /** The switch holds {@code desired} (committed, or found equal). */
    default void realized(SwitchReconciler r, DesiredFlows desired) {}

    /** A committed bundle (the audit log). */
    default void changed(
        SwitchReconciler r, Cause cause, TableChanges plan, DesiredFlows desired) {}

    /** An audit ran (the audit log). */
    default void audited(SwitchReconciler r, AuditOutcome outcome) {}

    /** A switch rejection or a failed round, for the error ring. */
    default void error(String message) {}

    /** A round acknowledged state version {@code seq} (see {@link ControllerProbe#acked}). */
    default void acked(String node, long seq, long start, long planned, long acked, int mods) {}
  }

  /**
   * Work run in the reconciler's turn, with phase {@link Phase#ROUND} held: completes with the
   * snapshot it found or made the switch hold (then reported realized), or null.
   */
  interface Turn {
    CompletableFuture<@Nullable DesiredFlows> run();

    /** The turn will not run (the switch disconnected or the controller stops). */
    void dropped();
  }

  /** The installed cache: what Sluice believes the switch holds, and of which state version. */
  record InstalledCache(List<Flow> flows, List<Group> groups, long seq) {}

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

  /** How a round computed its changes (see the class comment). */
  enum Strategy {
    /** The compiler's tracked changes, sent against a switch known to hold their base. */
    TRACKED("tracked"),
    /** A compare of the desired tables with the installed cache. */
    FULL("full");

    private final String label;

    Strategy(String label) {
      this.label = label;
    }

    /** {@code tracked} or {@code full}, the metric's tag. */
    String label() {
      return label;
    }
  }

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

  private final Context ctx;
  private final String node;
  private final SwitchTables sw;
  private final Counters counters;
  private final String label;
  private final Auditor auditor;

  // Guarded by this.
  private Phase phase = Phase.STARTING;
  private boolean dirty = true;
  private boolean needsRead = true;
  private List<Flow> installedFlows = List.of();
  private List<Group> installedGroups = List.of();
  private long installedSeq = -1;
  // The snapshot the switch is known to hold exactly (the last committed round took it there and
  // nothing since made that uncertain), or NO_BASE: a tracked round needs it to be the base.
  private long trackedSeq = DesiredFlows.NO_BASE;
  private final Map<Flow.Key, Flow> rejected = new HashMap<>();
  private Duration backoff;
  private @Nullable String lastError;
  private @Nullable Instant lastRoundAt;
  private long lastRoundMillis;
  private final Queue<Turn> turns = new ArrayDeque<>();
  // The operations of the last bundle, in bundle order, to name rejected ones.
  private List<TableOp> lastBundle = List.of();

  SwitchReconciler(Context ctx, String node, SwitchTables sw, Counters counters) {
    this.ctx = ctx;
    this.node = node;
    this.sw = sw;
    this.counters = counters;
    this.backoff = ctx.retryMin();
    this.label = sw.label() + " node " + node;
    this.auditor = new Auditor(this);
  }

  /** {@code switch br-int dpid=0000000000000001}. */
  static String label(SwitchSession s) {
    return SessionTables.label(s);
  }

  /**
   * The OpenFlow session (the API lists sessions with their reconciler).
   *
   * @throws IllegalStateException when the reconciler drives something else (tests)
   */
  public SwitchSession session() {
    if (sw instanceof SessionTables t) {
      return t.session();
    }
    throw new IllegalStateException(label + " has no OpenFlow session");
  }

  /** The switch, as the reconciler sees it. */
  SwitchTables tables() {
    return sw;
  }

  /** The node. */
  public String node() {
    return node;
  }

  String logLabel() {
    return label;
  }

  Context context() {
    return ctx;
  }

  @Nullable DesiredFlows desired() {
    return ctx.desired().apply(node);
  }

  /** Starts: after the startup barrier, the first round reads the switch. */
  void start() {
    ctx.barrier()
        .whenCompleteAsync(
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
            ctx.scheduler());
  }

  /** The desired state changed: start a round unless one is in flight (then it follows). */
  void markDirty() {
    synchronized (this) {
      dirty = true;
    }
    ctx.scheduler().execute(this::kick);
  }

  /** Stops; an in-flight round completes but nothing follows; queued turns are dropped. */
  void close() {
    List<Turn> dropped;
    synchronized (this) {
      phase = Phase.CLOSED;
      dropped = List.copyOf(turns);
      turns.clear();
    }
    dropped.forEach(Turn::dropped);
  }

  /**
   * Queues {@code turn} to run once nothing else is in flight and no event round is pending.
   * Returns why it cannot run (startup barrier pending, switch disconnected), or null when queued.
   */
  @Nullable String inTurn(Turn turn) {
    synchronized (this) {
      if (phase == Phase.STARTING) {
        return "startup barrier pending";
      }
      if (phase == Phase.CLOSED || !sw.isConnected()) {
        return "switch disconnected";
      }
      turns.add(turn);
    }
    ctx.scheduler().execute(this::kick);
    return null;
  }

  /**
   * Audits the switch (see {@link Auditor#audit}): once nothing else is in flight, reads its flows
   * and groups, classifies the drift and, with {@code repair}, sends the fix as one bundle.
   */
  public CompletableFuture<AuditOutcome> audit(boolean repair) {
    return auditor.audit(repair);
  }

  /** The last audit that ran, if any. */
  public Optional<AuditOutcome> lastAudit() {
    return auditor.lastAudit();
  }

  /**
   * Reads the switch's flows and groups now, without touching the reconciler's state (what {@code
   * sluice flows --installed} and {@code sluice trace --installed} look at).
   */
  public CompletableFuture<Installed> readSwitch() {
    return sw.read();
  }

  /** The switch's port names (as {@code ovs-ofctl} prints them). */
  public PortNames portNames() {
    return sw.portNames();
  }

  /** The installed flows (what the switch accepted), sorted by key. */
  public synchronized List<Flow> installedFlows() {
    List<Flow> l = new ArrayList<>(installedFlows);
    l.sort(java.util.Comparator.comparing(Flow::key));
    return l;
  }

  /** Whether the switch holds exactly the desired snapshot and nothing is in flight. */
  public synchronized boolean converged() {
    DesiredFlows d = desired();
    return phase == Phase.IDLE && !dirty && d != null && installedSeq == d.seq();
  }

  /** The status now. */
  public synchronized Status status() {
    DesiredFlows d = desired();
    return new Status(
        node,
        sw.datapathId(),
        sw.bridge(),
        sw.remoteAddress(),
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

  // ---------------------------------------------------------------- the cache (turns use it)

  synchronized InstalledCache installed() {
    return new InstalledCache(installedFlows, installedGroups, installedSeq);
  }

  /**
   * Takes what was read (or committed) as what the switch holds, as of {@code seq} (-1: none). The
   * next round compares in full (a committed round then marks its snapshot as tracked).
   */
  synchronized void adopt(List<Flow> flows, List<Group> groups, long seq) {
    installedFlows = List.copyOf(flows);
    installedGroups = List.copyOf(groups);
    installedSeq = seq;
    trackedSeq = DesiredFlows.NO_BASE;
    needsRead = false;
  }

  /** Drops flows the switch rejected in this exact version; forgets rejections no longer wanted. */
  synchronized List<Flow> withoutRejected(List<Flow> flows) {
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

  /** Sends non-empty changes once the channel is writable; remembers them to name rejections. */
  CompletableFuture<Void> send(TableChanges plan) {
    synchronized (this) {
      lastBundle = plan.bundle();
    }
    return sw.whenWritable().thenCompose(v -> sw.apply(plan));
  }

  // ---------------------------------------------------------------- rounds

  private void kick() {
    boolean read;
    Turn turn = null;
    synchronized (this) {
      if (phase != Phase.IDLE || !sw.isConnected()) {
        return;
      }
      if (!dirty) {
        turn = turns.poll();
        if (turn == null) {
          return;
        }
      }
      dirty = false;
      phase = Phase.ROUND;
      read = needsRead;
    }
    long start = System.nanoTime();
    if (turn != null) {
      runTurn(turn);
      return;
    }
    CompletableFuture<Void> pre =
        read ? readAndCache() : CompletableFuture.<Void>completedFuture(null);
    pre.thenComposeAsync(v -> round(read), ctx.scheduler())
        .whenCompleteAsync((o, e) -> finish(o, e, start), ctx.scheduler());
  }

  private void runTurn(Turn turn) {
    CompletableFuture<@Nullable DesiredFlows> f;
    try {
      f = turn.run();
    } catch (RuntimeException e) {
      f = CompletableFuture.failedFuture(e);
    }
    f.whenCompleteAsync((d, e) -> finishTurn(d, e), ctx.scheduler());
  }

  private void finishTurn(@Nullable DesiredFlows realized, @Nullable Throwable error) {
    Throwable e = unwrap(error);
    DesiredFlows report = null;
    synchronized (this) {
      if (e == null) {
        if (realized != null) {
          DesiredFlows d = desired();
          if (d != null && d.seq() == realized.seq()) {
            report = d;
          }
          lastError = null;
          backoff = ctx.retryMin();
        }
        if (phase == Phase.ROUND) {
          phase = Phase.IDLE;
        }
      } else if (e instanceof SwitchTables.Disconnected || !sw.isConnected()) {
        phase = Phase.CLOSED;
      } else {
        handleFailure(e);
      }
    }
    if (report != null) {
      ctx.listener().realized(this, report);
    }
    kick();
  }

  private CompletableFuture<Void> readAndCache() {
    return sw.prepare().thenCompose(v -> sw.read()).thenAccept(this::installedFromSwitch);
  }

  private void installedFromSwitch(Installed inst) {
    adopt(inst.flows(), inst.groups(), -1);
    log.info(
        "{}: read {} flows and {} groups from the switch",
        label,
        inst.flowEntries().size(),
        inst.groups().size());
  }

  /**
   * One planned round.
   *
   * @param flows the desired flows it installs (without rejected ones)
   * @param exact whether {@code flows} are all of the snapshot's (nothing left out)
   */
  private record Round(
      DesiredFlows desired,
      List<Flow> flows,
      boolean exact,
      TableChanges plan,
      Strategy strategy,
      long planned,
      boolean resync) {}

  private CompletableFuture<@Nullable Round> round(boolean resync) {
    DesiredFlows d = desired();
    if (d == null) {
      return CompletableFuture.completedFuture(null);
    }
    List<Flow> all = d.flows().flows();
    List<Flow> want;
    TableChanges plan;
    Strategy strategy;
    synchronized (this) {
      if (!resync
          && rejected.isEmpty()
          && trackedSeq != DesiredFlows.NO_BASE
          && (d.seq() == trackedSeq || d.tracksFrom(trackedSeq))) {
        strategy = Strategy.TRACKED;
        want = all;
        plan = d.seq() == trackedSeq ? TableChanges.NONE : d.changes();
      } else {
        strategy = Strategy.FULL;
        want = withoutRejected(all);
        plan = TableChanges.between(installedFlows, installedGroups, want, d.flows().groups());
      }
    }
    long planned = System.nanoTime();
    Round r = new Round(d, want, want.size() == all.size(), plan, strategy, planned, resync);
    ctx.metrics().reconciled(node, strategy.label());
    if (strategy == Strategy.TRACKED) {
      log.debug(
          "{}: seq {}: tracked changes from seq {} ({} mods)",
          label,
          d.seq(),
          d.baseSeq(),
          plan.size());
    } else {
      log.debug("{}: seq {}: full compare ({} mods)", label, d.seq(), plan.size());
    }
    if (plan.isEmpty()) {
      return CompletableFuture.completedFuture(r);
    }
    return send(plan).thenApply(v -> r);
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
            count(round.plan(), millis, round.strategy().label());
          }
          adopt(round.flows(), round.desired().flows().groups(), round.desired().seq());
          if (round.exact()) {
            trackedSeq = round.desired().seq();
          }
          backoff = ctx.retryMin();
          lastError = null;
          realized = round.desired();
        }
        if (phase == Phase.ROUND) {
          phase = Phase.IDLE;
        }
      } else if (e instanceof SwitchTables.Disconnected || !sw.isConnected()) {
        phase = Phase.CLOSED;
        log.info("{}: round abandoned, switch disconnected: {}", label, e.getMessage());
        return;
      } else {
        handleFailure(e);
      }
    }
    if (changed != null) {
      try {
        ctx.listener()
            .changed(
                this,
                changed.resync() ? Cause.RESYNC : Cause.EVENTS,
                changed.plan(),
                changed.desired());
      } catch (RuntimeException x) {
        log.warn("{}: audit journal: {}", label, x.toString());
      }
    }
    if (realized != null) {
      Round r = Objects.requireNonNull(round);
      ctx.listener().acked(node, realized.seq(), start, r.planned(), acked, r.plan().flowCount());
      ctx.listener().realized(this, realized);
    }
    kick();
  }

  /** Called with the lock held. */
  private void handleFailure(Throwable e) {
    boolean marked = false;
    // Whatever failed, the next round compares in full.
    trackedSeq = DesiredFlows.NO_BASE;
    if (e instanceof SwitchTables.Rejected b) {
      DesiredFlows d = desired();
      List<TableOp> bundle = lastBundle;
      for (SwitchTables.Rejection r : b.rejections()) {
        counters.rejected.incrementAndGet();
        ctx.metrics().rejected(node);
        TableOp what = r.index() >= 0 && r.index() < bundle.size() ? bundle.get(r.index()) : null;
        String msg = String.format("%s: OVS rejected %s: %s", label, r.text(), r.error());
        log.error(msg);
        ctx.listener().error(msg);
        if (what instanceof TableOp.FlowOp f && d != null) {
          rejected.put(f.flow().key(), f.flow());
          marked = true;
        }
      }
    }
    String msg = label + ": round failed: " + describe(e);
    lastError = msg;
    if (!(e instanceof SwitchTables.Rejected)) {
      log.warn(msg);
      ctx.listener().error(msg);
    }
    dirty = true;
    if (marked) {
      // The bad flows are left out next time: retry at once, the rest converges.
      phase = Phase.IDLE;
      return;
    }
    needsRead = !(e instanceof SwitchTables.Rejected);
    phase = Phase.BACKOFF;
    Duration wait = backoff;
    Duration doubled = backoff.multipliedBy(2);
    backoff = doubled.compareTo(ctx.retryMax()) > 0 ? ctx.retryMax() : doubled;
    log.info("{}: retrying in {} ms", label, wait.toMillis());
    ctx.scheduler()
        .schedule(
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

  /**
   * Counts a committed bundle (counters, metrics, the log line, which says how its changes were
   * computed: {@code tracked}, {@code full} or {@code audit repair}). Called with the lock held.
   */
  void count(TableChanges plan, long millis, String how) {
    int adds = plan.flowAdds().size();
    int mods = plan.flowModifies().size();
    int dels = plan.flowDeletes().size();
    int groups = plan.groupCount();
    counters.bundles.incrementAndGet();
    counters.flowAdds.addAndGet(adds);
    counters.flowModifies.addAndGet(mods);
    counters.flowDeletes.addAndGet(dels);
    counters.groupMods.addAndGet(groups);
    ctx.metrics().bundle(node, adds, mods, dels, groups, millis);
    log.info(
        "{}: bundle {} flow-mods ({} add, {} mod, {} del){} acked in {} ms ({})",
        label,
        plan.flowCount(),
        adds,
        mods,
        dels,
        groups == 0 ? "" : ", " + groups + " group-mods",
        millis,
        how);
  }

  static @Nullable Throwable unwrap(@Nullable Throwable t) {
    Throwable e = t;
    while ((e instanceof CompletionException || e instanceof ExecutionException)
        && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }

  /** The message of a failure, unwrapped. */
  static String describe(Throwable error) {
    Throwable t = Objects.requireNonNullElse(unwrap(error), error);
    return t.getMessage() == null ? t.toString() : t.getMessage();
  }

  /** Text of a flow for logs and the API. */
  static String text(Flow f, PortNames names) {
    return FlowText.formatForAdd(f, names, FlowText.Style.OPENFLOW13);
  }
}
