package dev.sluice.controller.runtime;

import dev.sluice.compiler.cluster.ClusterState;
import dev.sluice.compiler.cluster.ManifestError;
import dev.sluice.compiler.cluster.ObjectKey;
import dev.sluice.compiler.compile.Change;
import dev.sluice.compiler.compile.CompiledCluster;
import dev.sluice.compiler.compile.CompilerConfig;
import dev.sluice.compiler.flow.Flow;
import dev.sluice.compiler.flow.TableChanges;
import dev.sluice.compiler.pipeline.Provenance;
import dev.sluice.controller.events.ClusterEventSink;
import dev.sluice.controller.events.EventPosition;
import dev.sluice.controller.events.EventSource;
import dev.sluice.controller.events.EventSourceConfig;
import dev.sluice.controller.events.EventSourceStats;
import dev.sluice.controller.events.TopicAdmin;
import dev.sluice.southbound.channel.OpenFlowServer;
import dev.sluice.southbound.channel.PortStatus;
import dev.sluice.southbound.channel.SwitchListener;
import dev.sluice.southbound.channel.SwitchSession;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controller: Kafka events in, switches kept equal to the compiled state. Wiring only; the
 * parts are described in {@code package-info.java}.
 *
 * <p>The {@link StateLoop} owns the compiled cluster on its thread and applies each event as a
 * transaction (the event source's thread waits for the outcome, so rejections are dead-lettered);
 * it also applies port changes reported by switches. Switch events arrive on Netty's event loops
 * and are handed to the state thread at once, where {@link SwitchMatcher} decides which node a
 * switch serves and a {@link SwitchReconciler} (over {@link SessionTables}) is started for it.
 *
 * <p>{@link #close()} (also the SIGTERM path) stops the event source (wakeup, commit), then the
 * OpenFlow server, the reconcilers and the API, in that order. Switches keep their flows.
 */
public final class Controller implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Controller.class);

  private final ControllerConfig config;
  private final ControllerMetrics metrics = new ControllerMetrics();
  private final ErrorRing errors = new ErrorRing();
  private final ScheduledExecutorService scheduler;
  private final LearnedPorts ports = new LearnedPorts();
  private final RealizationTracker realization = new RealizationTracker();
  private final StateLoop state;
  private final SwitchMatcher matcher;
  private final SwitchReconciler.Context reconcilerContext;
  private final Map<String, SwitchReconciler> reconcilers = new ConcurrentHashMap<>();
  private final Map<String, SwitchReconciler.Counters> counters = new ConcurrentHashMap<>();
  private final Set<SwitchSession> sessions = ConcurrentHashMap.newKeySet();
  private final Set<String> switchNodes = ConcurrentHashMap.newKeySet();
  private final CompletableFuture<Void> caughtUp = new CompletableFuture<>();

  private volatile @Nullable EventSource events;
  private volatile @Nullable OpenFlowServer server;
  private volatile @Nullable ApiServer api;
  private volatile @Nullable RealizationPublisher publisher;
  private volatile @Nullable AuditLog auditLog;
  private volatile @Nullable AuditJournal journal;
  private volatile boolean closed;
  private volatile ControllerProbe probe = ControllerProbe.NONE;

  private Controller(ControllerConfig config) {
    this.config = config;
    AtomicInteger n = new AtomicInteger();
    this.scheduler =
        Executors.newScheduledThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "sluice-reconciler-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    CompilerConfig cc =
        new CompilerConfig(
            config.cluster().cookieRound(),
            config.cluster().serviceCidr(),
            CompilerConfig.OPENFLOW_MAX_MESSAGE);
    this.matcher = new SwitchMatcher(config.switches());
    this.state =
        new StateLoop(
            StateLoop.Compiler.of(cc, ports),
            realization,
            metrics,
            errors,
            () -> probe,
            new StateHooks());
    this.reconcilerContext =
        new SwitchReconciler.Context(
            scheduler,
            caughtUp,
            state::desired,
            state::provenance,
            metrics,
            new ReconcilerEvents(),
            config.retry().min(),
            config.retry().max());
  }

  /**
   * Starts everything: creates missing topics, starts the OpenFlow server, the API and the event
   * source. Switches are reconciled once the event source has caught up with the topics.
   */
  public static Controller start(ControllerConfig config) throws Exception {
    Controller c = new Controller(config);
    try {
      c.startAll();
    } catch (Exception | Error e) {
      c.close();
      throw e;
    }
    return c;
  }

  private void startAll() throws Exception {
    log.info(
        "starting: openflow {}, kafka {}, group {}, api {}",
        config.openflow().listen(),
        config.kafka().bootstrapServers(),
        config.kafka().consumerGroup(),
        config.api().listen());
    Duration timeout = Duration.ofSeconds(30);
    try (Admin admin =
        Admin.create(
            Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                config.kafka().bootstrapServers(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                (int) timeout.toMillis()))) {
      new TopicAdmin(admin, timeout)
          .ensureTopics(
              config.kafka().topics(),
              config.kafka().partitions(),
              config.kafka().replicationFactor());
    }
    Map<String, Object> p = new HashMap<>();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafka().bootstrapServers());
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "sluice-realization");
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 2000);
    p.put(ProducerConfig.LINGER_MS_CONFIG, 20);
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    RealizationPublisher pub =
        new RealizationPublisher(
            new KafkaProducer<>(p),
            config.kafka().topics().realization(),
            config.kafka().topics().audit(),
            realization);
    publisher = pub;
    AuditLog al =
        new AuditLog(
            config.audit().log(),
            config.audit().logMaxBytes(),
            config.audit().logFiles(),
            pub::audit);
    auditLog = al;
    journal = new AuditJournal(al, realization);
    log.info(
        "audit: every {} ({}), log {}, topic {}",
        Durations.format(config.audit().interval()),
        config.audit().mode().name().toLowerCase(java.util.Locale.ROOT),
        config.audit().log().toAbsolutePath(),
        config.kafka().topics().audit());

    SwitchListener listener = new Listener();
    OpenFlowServer.Builder b = OpenFlowServer.builder(listener).listen(config.openflow().address());
    config.openflow().tls().ifPresent(b::tls);
    server = b.start();
    log.info("openflow listening on {}", Objects.requireNonNull(server).boundAddresses());

    api = ApiServer.start(this, config.api().listen());

    EventSourceConfig ec =
        EventSourceConfig.defaults(config.kafka().bootstrapServers())
            .withGroupId(config.kafka().consumerGroup())
            .withTopics(config.kafka().topics());
    EventSource es = new EventSource(ec, new Sink());
    events = es;
    registerMetrics(es);
    es.caughtUp()
        .whenCompleteAsync(
            (v, e) -> {
              if (e != null) {
                caughtUp.completeExceptionally(e);
                return;
              }
              log.info("startup barrier passed: reconciling switches");
              caughtUp.complete(null);
              for (SwitchSession s : sessions) {
                match(s);
              }
            },
            state.executor());
    es.start();
    if (!config.audit().interval().isZero()) {
      long every = config.audit().interval().toMillis();
      scheduler.scheduleWithFixedDelay(this::periodicAudit, every, every, TimeUnit.MILLISECONDS);
    }
  }

  // ---------------------------------------------------------------- audit

  private void periodicAudit() {
    boolean repair = config.audit().mode() == ControllerConfig.AuditMode.REPAIR;
    for (SwitchReconciler r : reconcilers.values()) {
      r.audit(repair);
    }
  }

  /**
   * Audits the switch of {@code node} (every connected switch when empty) now; with {@code repair}
   * the drift is fixed in one bundle per switch. Each audit runs in its reconciler's turn (never
   * beside a round); switches whose startup barrier is pending are reported as skipped.
   */
  public CompletableFuture<List<SwitchReconciler.AuditOutcome>> audit(
      Optional<String> node, boolean repair) {
    List<SwitchReconciler> targets = new java.util.ArrayList<>();
    if (node.isPresent()) {
      SwitchReconciler r = reconcilers.get(node.get());
      if (r == null) {
        return CompletableFuture.failedFuture(
            new IllegalArgumentException("no switch connected for node '" + node.get() + "'"));
      }
      targets.add(r);
    } else {
      new TreeMap<>(reconcilers).values().forEach(targets::add);
    }
    List<CompletableFuture<SwitchReconciler.AuditOutcome>> fs =
        targets.stream().map(r -> r.audit(repair)).toList();
    return CompletableFuture.allOf(fs.toArray(CompletableFuture[]::new))
        .thenApply(v -> fs.stream().map(CompletableFuture::join).toList());
  }

  /** Cookie → origins of the current compiled state (cached per state version). */
  public Provenance provenance() {
    return state.provenance();
  }

  /**
   * Runs {@code task} on the state thread with the compiled cluster (not thread-safe, hence the
   * thread) and returns its result: PolicyWhy, cross-node walks.
   */
  public <T> T withCompiled(java.util.function.Function<CompiledCluster, T> task) {
    return state.withCompiled(task);
  }

  /** The audit log (for tests and the API). */
  public Optional<Path> auditLogFile() {
    AuditLog a = auditLog;
    return a == null ? Optional.empty() : Optional.of(a.file());
  }

  private void registerMetrics(EventSource es) {
    metrics.gauge("sluice.switches.connected", "switches connected", () -> sessions.size());
    metrics.counter("sluice.events.applied", "events applied", () -> es.stats().applied());
    metrics.counter("sluice.events.deleted", "tombstones applied", () -> es.stats().deleted());
    metrics.counter(
        "sluice.events.dead.lettered", "events dead-lettered", () -> es.stats().deadLettered());
    metrics.counter("sluice.events.stale", "stale events dropped", () -> es.stats().staleDropped());
  }

  // ---------------------------------------------------------------- accessors (any thread)

  /** The configuration. */
  public ControllerConfig config() {
    return config;
  }

  /** The OpenFlow TCP port actually bound (for tests binding port 0). */
  public int openflowPort() {
    return Objects.requireNonNull(server).tcpPort();
  }

  /**
   * The OpenFlow listeners actually bound, as {@code tcp:HOST:PORT} or {@code unix:PATH}, comma
   * separated.
   */
  public String openflowAddresses() {
    return Objects.requireNonNull(server).boundAddresses().stream()
        .map(
            a ->
                a instanceof java.net.InetSocketAddress i
                    ? "tcp:" + i.getHostString() + ":" + i.getPort()
                    : "unix:" + a)
        .collect(java.util.stream.Collectors.joining(","));
  }

  /** The API's {@code host:port} actually bound. */
  public String apiAddress() {
    return Objects.requireNonNull(api).address();
  }

  /** Completes when the startup barrier passed. */
  public CompletableFuture<Void> caughtUp() {
    return caughtUp;
  }

  /** The event source's counters. */
  public EventSourceStats eventStats() {
    EventSource es = events;
    return es == null ? new EventSourceStats(0, 0, 0, 0, Map.of()) : es.stats();
  }

  /** Whether the event source has stopped (closed or failed fatally). */
  public boolean eventSourceStopped() {
    EventSource es = events;
    return es == null || es.terminated().isDone();
  }

  /** Completes when the event source stops; fails with a fatal error. */
  public CompletableFuture<Void> terminated() {
    EventSource es = events;
    return es == null ? CompletableFuture.completedFuture(null) : es.terminated();
  }

  /** Nodes with desired flows. */
  public Set<String> nodes() {
    return state.nodes();
  }

  /** The desired snapshot of a node. */
  public Optional<DesiredFlows> desired(String node) {
    return Optional.ofNullable(state.desired(node));
  }

  /** The reconciler of a node, while its switch is connected. */
  public Optional<SwitchReconciler> reconciler(String node) {
    return Optional.ofNullable(reconcilers.get(node));
  }

  /** Counters of a node (flow-mods and bundles since start, across reconnections). */
  public SwitchReconciler.Counters counters(String node) {
    return counters.computeIfAbsent(node, k -> new SwitchReconciler.Counters());
  }

  /** Whether every node with a connected switch holds exactly its desired snapshot. */
  public boolean converged(Collection<String> nodes) {
    for (String n : nodes) {
      SwitchReconciler r = reconcilers.get(n);
      if (r == null || !r.converged()) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether a switch is known for {@code node}: connected now, or expected through the node's
   * {@code sluice.dev/datapath-id} annotation or the configuration's switches map.
   */
  public boolean expectsSwitch(String node) {
    return reconcilers.containsKey(node) || switchNodes.contains(node);
  }

  /** Connected switches, matched or not. */
  public List<SwitchSession> sessions() {
    return List.copyOf(sessions);
  }

  /**
   * Installs a stage-timestamp probe (benchmark harnesses); {@link ControllerProbe#NONE} by
   * default.
   */
  public void probe(ControllerProbe p) {
    probe = Objects.requireNonNull(p);
  }

  /** The realization tracker (API). */
  RealizationTracker realization() {
    return realization;
  }

  ControllerMetrics metrics() {
    return metrics;
  }

  /** Recent errors: dead-letter-worthy rejections, switch rejections, failed rounds. */
  public List<dev.sluice.controller.api.ControllerError> errors() {
    return errors.list();
  }

  // ---------------------------------------------------------------- state thread

  /** After a Node change: which nodes expect a switch, re-match sessions, drop deleted nodes. */
  private void nodesChanged(ClusterState cluster) {
    Set<String> expected = matcher.expectedNodes(cluster);
    switchNodes.retainAll(expected);
    switchNodes.addAll(expected);
    for (SwitchSession sess : sessions) {
      match(sess);
    }
    for (String n : List.copyOf(reconcilers.keySet())) {
      if (cluster.node(n).isEmpty()) {
        SwitchReconciler gone = reconcilers.remove(n);
        if (gone != null) {
          gone.close();
          log.info("{}: node {} deleted; leaving the switch alone", gone.tables().label(), n);
        }
        realization.forget(n);
      }
    }
  }

  /** Matches a session to a node (after the startup barrier) and starts its reconciler. */
  private void match(SwitchSession s) {
    if (!caughtUp.isDone() || !s.isConnected()) {
      return;
    }
    for (SwitchReconciler r : reconcilers.values()) {
      if (r.session() == s) {
        return;
      }
    }
    long dpid = s.datapathId();
    SwitchMatcher.Outcome o =
        matcher.match(
            dpid,
            s.datapathIdString(),
            state.state(),
            n ->
                Optional.ofNullable(reconcilers.get(n))
                    .filter(r -> r.session().isConnected())
                    .map(
                        r ->
                            new SwitchMatcher.Served(
                                r.session().datapathId(), r.tables().label())));
    if (o instanceof SwitchMatcher.Unmatched u) {
      if (matcher.warnOnce(s)) {
        if (u.conflict()) {
          log.error("{}: {}", label(s), u.why());
        } else {
          log.warn("{}: {}", label(s), u.why());
        }
      }
      return;
    }
    SwitchMatcher.Matched m = (SwitchMatcher.Matched) o;
    String node = m.node();
    SwitchReconciler old = reconcilers.get(node);
    if (old != null) {
      old.close();
    }
    matcher.forget(s);
    log.info("{}: matched to node {} by {}", label(s), node, m.how());
    if (ports.learn(node, s.ports())) {
      state.refreshPorts(node);
    }
    SwitchReconciler r =
        new SwitchReconciler(reconcilerContext, node, new SessionTables(s), counters(node));
    reconcilers.put(node, r);
    r.start();
  }

  static String label(SwitchSession s) {
    return SessionTables.label(s);
  }

  /** Per-table counts of a flow list. */
  static Map<Integer, Integer> perTable(List<Flow> flows) {
    Map<Integer, Integer> m = new TreeMap<>();
    for (Flow f : flows) {
      m.merge(f.table(), 1, Integer::sum);
    }
    return m;
  }

  /** The Prometheus text. */
  String scrape() {
    Map<String, Map<Integer, Integer>> want = new TreeMap<>();
    Map<String, Map<Integer, Integer>> have = new TreeMap<>();
    state.snapshots().forEach((n, d) -> want.put(n, perTable(d.flows().flows())));
    reconcilers.forEach((n, r) -> have.put(n, perTable(r.installedFlows())));
    Map<String, Long> lag = new TreeMap<>();
    eventStats().lag().forEach((tp, l) -> lag.put(tp.toString(), l));
    return metrics.scrape(want, have, lag);
  }

  // ---------------------------------------------------------------- shutdown

  /** Stops the event source, the server, the reconcilers and the API, in that order. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    log.info("stopping");
    EventSource es = events;
    if (es != null) {
      es.close();
    }
    OpenFlowServer srv = server;
    if (srv != null) {
      srv.close();
    }
    reconcilers.values().forEach(SwitchReconciler::close);
    ApiServer a = api;
    if (a != null) {
      a.close();
    }
    scheduler.shutdownNow();
    RealizationPublisher p = publisher;
    if (p != null) {
      p.close();
    }
    AuditLog al = auditLog;
    if (al != null) {
      al.close();
    }
    state.close();
    log.info("stopped");
  }

  // ---------------------------------------------------------------- callbacks

  /** What the state loop tells the controller, on the state thread. */
  private final class StateHooks implements StateLoop.Hooks {
    @Override
    public void published(Set<String> nodes) {
      for (String n : nodes) {
        SwitchReconciler r = reconcilers.get(n);
        if (r != null) {
          r.markDirty();
        }
      }
    }

    @Override
    public void nodesChanged(ClusterState cluster) {
      Controller.this.nodesChanged(cluster);
    }
  }

  /** What reconcilers report, on the scheduler's threads. */
  private final class ReconcilerEvents implements SwitchReconciler.Listener {
    @Override
    public void realized(SwitchReconciler r, DesiredFlows d) {
      String node = r.node();
      state.execute(
          () -> {
            RealizationPublisher p = publisher;
            SwitchReconciler now = reconcilers.get(node);
            String dpid = now == null ? null : now.tables().datapathId();
            if (p != null) {
              p.realized(node, dpid, d);
            } else {
              realization.realized(node, d.seq());
            }
          });
    }

    @Override
    public void changed(
        SwitchReconciler r, SwitchReconciler.Cause cause, TableChanges plan, DesiredFlows d) {
      AuditJournal j = journal;
      if (j != null) {
        j.changed(r, cause, plan, d);
      }
    }

    @Override
    public void audited(SwitchReconciler r, SwitchReconciler.AuditOutcome o) {
      AuditJournal j = journal;
      if (j != null) {
        j.audited(r, o);
      }
    }

    @Override
    public void error(String message) {
      errors.add("switch", message);
    }

    @Override
    public void acked(String node, long seq, long start, long planned, long acked, int mods) {
      probe.acked(node, seq, start, planned, acked, mods);
    }
  }

  /** Events from the event source's thread; waits for the state thread's verdict. */
  private final class Sink implements ClusterEventSink {
    @Override
    public List<ManifestError> apply(ObjectKey key, HasMetadata object, EventPosition position) {
      return state.submit(Change.upsert(object), key, position);
    }

    @Override
    public List<ManifestError> delete(ObjectKey key, EventPosition position) {
      return state.submit(Change.delete(key), key, position);
    }
  }

  /** Switch events from Netty's event loops: handed to the state thread. */
  private final class Listener implements SwitchListener {
    @Override
    public void switchConnected(SwitchSession s) {
      log.info("{}: connected from {} ({} ports)", label(s), s.remoteAddress(), s.ports().size());
      sessions.add(s);
      state.execute(() -> match(s));
    }

    @Override
    public void switchDisconnected(SwitchSession s, String reason) {
      log.info("{}: disconnected: {}", label(s), reason);
      sessions.remove(s);
      state.execute(
          () -> {
            matcher.forget(s);
            reconcilers
                .entrySet()
                .removeIf(
                    e -> {
                      if (e.getValue().session() == s) {
                        e.getValue().close();
                        return true;
                      }
                      return false;
                    });
          });
    }

    @Override
    public void portStatus(SwitchSession s, PortStatus status) {
      log.info(
          "{}: port {} {} ({})",
          label(s),
          status.port().name(),
          status.reason().name().toLowerCase(java.util.Locale.ROOT),
          status.port().number());
      state.execute(
          () -> {
            for (SwitchReconciler r : reconcilers.values()) {
              if (r.session() == s && ports.learn(r.node(), s.ports())) {
                state.refreshPorts(r.node());
              }
            }
          });
    }

    @Override
    public void asyncError(SwitchSession s, dev.sluice.southbound.channel.OpenFlowError e) {
      log.warn("{}: asynchronous error {}", label(s), e);
      errors.add("switch", label(s) + ": asynchronous error " + e);
    }
  }
}
