package dev.sluice.controller.runtime;

import dev.sluice.compiler.flow.Flow;
import dev.sluice.compiler.flow.FlowSetDiff;
import dev.sluice.compiler.flow.FlowText;
import dev.sluice.compiler.flow.Group;
import dev.sluice.compiler.flow.OfPort;
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
      Duration retryMax) {
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

  /** Stops; an in-flight round completes but nothing follows. */
  synchronized void close() {
    phase = Phase.CLOSED;
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
    synchronized (this) {
      if (phase != Phase.IDLE || !dirty || !session.isConnected()) {
        return;
      }
      dirty = false;
      phase = Phase.ROUND;
      read = needsRead;
    }
    long start = System.nanoTime();
    CompletableFuture<Void> pre =
        read ? readSwitch() : CompletableFuture.<Void>completedFuture(null);
    pre.thenComposeAsync(v -> send(), scheduler)
        .whenCompleteAsync((o, e) -> finish(o, e, start), scheduler);
  }

  private CompletableFuture<Void> readSwitch() {
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
      @Nullable BundleResult result) {}

  private CompletableFuture<@Nullable Round> send() {
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
      return CompletableFuture.completedFuture(new Round(d, want, plan, planned, null));
    }
    return session
        .whenWritable()
        .thenCompose(v -> TableSync.apply(session, plan))
        .thenApply(r -> new Round(d, want, plan, planned, r));
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
    synchronized (this) {
      lastRoundAt = Instant.now();
      lastRoundMillis = millis;
      counters.rounds.incrementAndGet();
      if (e == null) {
        if (round != null) {
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
