package dev.sluice.controller.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.compiler.audit.AuditReport;
import dev.sluice.compiler.audit.Drift;
import dev.sluice.compiler.cluster.ClusterState;
import dev.sluice.compiler.cluster.ManifestError;
import dev.sluice.compiler.cluster.NodeInfo;
import dev.sluice.compiler.cluster.ObjectKey;
import dev.sluice.compiler.cluster.ObjectKind;
import dev.sluice.compiler.compile.Change;
import dev.sluice.compiler.compile.CompiledCluster;
import dev.sluice.compiler.compile.CompilerConfig;
import dev.sluice.compiler.compile.NodeFlows;
import dev.sluice.compiler.flow.Flow;
import dev.sluice.compiler.flow.FlowSetDiff;
import dev.sluice.compiler.flow.FlowText;
import dev.sluice.compiler.flow.Group;
import dev.sluice.compiler.flow.PortNames;
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
import dev.sluice.southbound.tables.TablePlan;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controller: Kafka events in, switches kept equal to the compiled state.
 *
 * <p>One <b>state thread</b> owns the {@link CompiledCluster}: it applies each event (the event
 * source's thread waits for the outcome, so rejections are dead-lettered), applies port changes
 * reported by switches, publishes the new desired snapshot of every node whose flows changed, and
 * marks that node's {@link SwitchReconciler} dirty. Switch events arrive on Netty's event loops and
 * are handed to the state thread at once.
 *
 * <p>{@link #close()} (also the SIGTERM path) stops the event source (wakeup, commit), then the
 * OpenFlow server, the reconcilers and the API, in that order. Switches keep their flows.
 */
public final class Controller implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Controller.class);
  private static final int MAX_ERRORS = 200;

  private final ControllerConfig config;
  private final ControllerMetrics metrics = new ControllerMetrics();
  private final ExecutorService stateThread;
  private final ScheduledExecutorService scheduler;
  private final LearnedPorts ports = new LearnedPorts();
  private final RealizationTracker realization = new RealizationTracker();
  private final Map<String, DesiredFlows> desired = new ConcurrentHashMap<>();
  private final Map<String, SwitchReconciler> reconcilers = new ConcurrentHashMap<>();
  private final Map<String, SwitchReconciler.Counters> counters = new ConcurrentHashMap<>();
  private final Set<SwitchSession> sessions = ConcurrentHashMap.newKeySet();
  private final Set<String> switchNodes = ConcurrentHashMap.newKeySet();
  private final ArrayDeque<Map<String, Object>> errors = new ArrayDeque<>();
  private final ObjectMapper json = new ObjectMapper();
  private final Journal journal = new Journal();

  // State thread only.
  private CompiledCluster compiled;
  private long seq;
  private final Set<SwitchSession> unmatchedLogged = new java.util.HashSet<>();

  private volatile @Nullable EventSource events;
  private volatile @Nullable OpenFlowServer server;
  private volatile @Nullable ApiServer api;
  private volatile @Nullable Producer<String, String> realizationProducer;
  private volatile @Nullable AuditLog auditLog;
  // Provenance of the compiled state, computed on demand and cached per state version.
  private volatile long stateSeq;
  private volatile @Nullable Provenance provenance;
  private volatile long provenanceSeq = -1;
  private final CompletableFuture<Void> caughtUp = new CompletableFuture<>();
  private volatile boolean closed;
  private volatile ControllerProbe probe = ControllerProbe.NONE;

  private Controller(ControllerConfig config) {
    this.config = config;
    this.stateThread =
        Executors.newSingleThreadExecutor(r -> daemon(r, "sluice-state", new AtomicInteger()));
    AtomicInteger n = new AtomicInteger();
    this.scheduler = Executors.newScheduledThreadPool(2, r -> daemon(r, "sluice-reconciler", n));
    CompilerConfig cc =
        new CompilerConfig(
            config.cookieRound(), config.serviceCidr(), CompilerConfig.OPENFLOW_MAX_MESSAGE);
    this.compiled = CompiledCluster.compileAll(ClusterState.empty(), cc, ports);
  }

  private static Thread daemon(Runnable r, String name, AtomicInteger n) {
    Thread t = new Thread(r, name + (name.equals("sluice-state") ? "" : "-" + n.incrementAndGet()));
    t.setDaemon(true);
    return t;
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
        config.openflowListen(),
        config.bootstrapServers(),
        config.consumerGroup(),
        config.apiListen());
    Duration timeout = Duration.ofSeconds(30);
    try (Admin admin =
        Admin.create(
            Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                config.bootstrapServers(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                (int) timeout.toMillis()))) {
      new TopicAdmin(admin, timeout)
          .ensureTopics(config.topics(), config.topicPartitions(), config.replicationFactor());
    }
    Map<String, Object> p = new HashMap<>();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "sluice-realization");
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 2000);
    p.put(ProducerConfig.LINGER_MS_CONFIG, 20);
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    realizationProducer = new KafkaProducer<>(p);
    auditLog =
        new AuditLog(
            config.auditLog(),
            config.auditLogMaxBytes(),
            config.auditLogFiles(),
            this::publishAudit);
    log.info(
        "audit: every {} ({}), log {}, topic {}",
        config.auditInterval(),
        config.auditMode().name().toLowerCase(java.util.Locale.ROOT),
        config.auditLog().toAbsolutePath(),
        config.topics().audit());

    SwitchListener listener = new Listener();
    OpenFlowServer.Builder b = OpenFlowServer.builder(listener).listen(config.listenAddress());
    config.tls().ifPresent(b::tls);
    server = b.start();
    log.info("openflow listening on {}", Objects.requireNonNull(server).boundAddresses());

    api = ApiServer.start(this, config.apiListen());

    EventSourceConfig ec =
        EventSourceConfig.defaults(config.bootstrapServers())
            .withGroupId(config.consumerGroup())
            .withTopics(config.topics());
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
            stateThread);
    es.start();
    if (!config.auditInterval().isZero()) {
      long every = config.auditInterval().toMillis();
      scheduler.scheduleWithFixedDelay(this::periodicAudit, every, every, TimeUnit.MILLISECONDS);
    }
  }

  // ---------------------------------------------------------------- audit

  private void periodicAudit() {
    boolean repair = config.auditMode() == ControllerConfig.AuditMode.REPAIR;
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
    long s = stateSeq;
    Provenance p = provenance;
    if (p != null && provenanceSeq == s) {
      return p;
    }
    Provenance fresh = onState(() -> compiled.provenance());
    provenance = fresh;
    provenanceSeq = s;
    return fresh;
  }

  /**
   * Runs {@code task} on the state thread with the compiled cluster (not thread-safe, hence the
   * thread) and returns its result: PolicyWhy, cross-node walks.
   */
  public <T> T withCompiled(java.util.function.Function<CompiledCluster, T> task) {
    return onState(() -> task.apply(compiled));
  }

  /** The audit log (for tests and the API). */
  public Optional<Path> auditLogFile() {
    AuditLog a = auditLog;
    return a == null ? Optional.empty() : Optional.of(a.file());
  }

  private void publishAudit(String node, String line) {
    Producer<String, String> p = realizationProducer;
    if (p == null) {
      return;
    }
    p.send(
        new ProducerRecord<>(config.topics().audit(), node, line),
        (md, e) -> {
          if (e != null) {
            log.debug("audit record for {} not published: {}", node, e.toString());
          }
        });
  }

  /** Writes the audit log: what reconcilers changed and what audits found. */
  private final class Journal implements SwitchReconciler.Journal {
    @Override
    public void changed(
        SwitchReconciler r,
        SwitchReconciler.Cause cause,
        TablePlan plan,
        DesiredFlows desiredFlows) {
      AuditLog a = auditLog;
      if (a == null) {
        return;
      }
      PortNames names = desiredFlows.ports().names();
      Map<String, Object> m = header(r, "change");
      Map<String, Object> why = new LinkedHashMap<>();
      why.put("cause", cause.text());
      if (cause != SwitchReconciler.Cause.AUDIT_REPAIR) {
        String node = r.node();
        List<Map<String, Object>> events =
            realization.pendingEvents(node, desiredFlows.seq(), MAX_EVENTS_PER_RECORD);
        int total = realization.pendingCount(node, desiredFlows.seq());
        why.put("events", events);
        if (total > events.size()) {
          why.put("moreEvents", total - events.size());
        }
        if (events.isEmpty()) {
          why.put("detail", "state change without a pending event (switch ports learned)");
        }
      }
      why.put("desiredSeq", desiredFlows.seq());
      m.put("why", why);
      FlowSetDiff f = plan.flows();
      m.put("added", texts(f.adds(), names));
      m.put("deleted", texts(f.deletes(), names));
      m.put("modified", texts(f.modifies(), names));
      if (!plan.groupAdds().isEmpty()
          || !plan.groupModifies().isEmpty()
          || !plan.groupDeletes().isEmpty()) {
        m.put("groupsAdded", groupTexts(plan.groupAdds(), names));
        m.put("groupsModified", groupTexts(plan.groupModifies(), names));
        m.put("groupsDeleted", groupTexts(plan.groupDeletes(), names));
      }
      a.record(r.node(), m);
    }

    @Override
    public void audited(SwitchReconciler r, SwitchReconciler.AuditOutcome o) {
      AuditReport report = o.report();
      if (report == null || report.isClean()) {
        return;
      }
      log.warn(
          "{}: audit found drift: {} missing, {} modified, {} extraneous{}",
          label(r.session()),
          report.count(Drift.Kind.MISSING),
          report.count(Drift.Kind.MODIFIED),
          report.count(Drift.Kind.EXTRANEOUS),
          o.repaired() ? " (repairing)" : "");
      AuditLog a = auditLog;
      if (a == null) {
        return;
      }
      Map<String, Object> m = header(r, "drift");
      m.put("time", o.time().toString());
      m.put("repair", o.repaired());
      m.putAll(AuditJson.report(report, o.names(), o.provenance()));
      a.record(r.node(), m);
    }

    private Map<String, Object> header(SwitchReconciler r, String type) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("time", Instant.now().toString());
      m.put("type", type);
      m.put("node", r.node());
      Map<String, Object> sw = new LinkedHashMap<>();
      sw.put("datapathId", r.session().datapathIdString());
      sw.put("bridge", r.status().bridge());
      m.put("switch", sw);
      return m;
    }
  }

  private static final int MAX_EVENTS_PER_RECORD = 100;

  private static List<String> texts(List<Flow> flows, PortNames names) {
    return flows.stream().map(f -> FlowText.format(f, names)).toList();
  }

  private static List<String> groupTexts(List<Group> groups, PortNames names) {
    return groups.stream().map(g -> FlowText.formatGroup(g, names)).toList();
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
    return new TreeSet<>(desired.keySet());
  }

  /** The desired snapshot of a node. */
  public Optional<DesiredFlows> desired(String node) {
    return Optional.ofNullable(desired.get(node));
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
  public List<Map<String, Object>> errors() {
    synchronized (errors) {
      return List.copyOf(errors);
    }
  }

  private void error(String kind, String message) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("time", Instant.now().toString());
    e.put("kind", kind);
    e.put("message", message);
    synchronized (errors) {
      errors.addLast(e);
      while (errors.size() > MAX_ERRORS) {
        errors.removeFirst();
      }
    }
  }

  // ---------------------------------------------------------------- state thread

  private <T> T onState(Callable<T> task) {
    Future<T> f = stateThread.submit(task);
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      f.cancel(true);
      throw new IllegalStateException("interrupted while applying", e);
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      throw c instanceof RuntimeException r ? r : new IllegalStateException(c);
    }
  }

  private List<ManifestError> applyChange(Change change, ObjectKey key, EventPosition pos) {
    long t0 = System.nanoTime();
    CompiledCluster.Result r = compiled.apply(change);
    compiled = r.compiled();
    metrics.compiled(System.nanoTime() - t0);
    boolean rejected =
        r.errors().stream().anyMatch(e -> e.severity() == ManifestError.Severity.ERROR);
    if (rejected) {
      error(
          "rejected",
          key + " (" + pos + "): " + r.errors().stream().map(Object::toString).toList());
      // Consumed all the same (it is dead-lettered): it changes no node.
      realization.consumed(pos, seq, Set.of());
      long t = System.nanoTime();
      probe.applied(pos, -1, Set.of(), t0, t, t);
      return r.errors();
    }
    long t1 = System.nanoTime();
    long s = ++seq;
    // Record the event before the reconcilers see the new snapshot: a round that carries it
    // journals the pending events it realizes.
    realization.consumed(pos, s, r.diffs().keySet(), key.toString());
    if (key.kind() == ObjectKind.NETWORK_POLICY) {
      Long gen = null;
      if (change instanceof Change.Upsert u) {
        gen = Objects.requireNonNullElse(u.object().getMetadata().getGeneration(), 0L);
      }
      realization.policy(key.key(), gen, s);
    }
    publish(r.diffs().keySet(), s);
    probe.applied(pos, s, r.diffs().keySet(), t0, t1, System.nanoTime());
    if (!r.diffs().isEmpty() && log.isDebugEnabled()) {
      log.debug("{} ({}): {}", key, pos, describe(r));
    }
    if (key.kind() == ObjectKind.NODE) {
      Set<String> expected = new TreeSet<>();
      for (NodeInfo n : compiled.state().nodes()) {
        if (n.datapathId().isPresent() || config.switches().containsValue(n.name())) {
          expected.add(n.name());
        }
      }
      switchNodes.retainAll(expected);
      switchNodes.addAll(expected);
      for (SwitchSession sess : sessions) {
        match(sess);
      }
      for (String n : List.copyOf(reconcilers.keySet())) {
        if (compiled.state().node(n).isEmpty()) {
          SwitchReconciler gone = reconcilers.remove(n);
          if (gone != null) {
            gone.close();
            log.info("{}: node {} deleted; leaving the switch alone", label(gone.session()), n);
          }
          realization.forget(n);
        }
      }
    }
    return r.errors();
  }

  private static String describe(CompiledCluster.Result r) {
    StringBuilder sb = new StringBuilder();
    r.diffs()
        .forEach(
            (n, d) ->
                sb.append(n)
                    .append(" +")
                    .append(d.added().size())
                    .append("/-")
                    .append(d.removed().size())
                    .append(' '));
    return sb.toString().strip();
  }

  /** Publishes new desired snapshots for {@code nodes} and marks their reconcilers dirty. */
  private void publish(Set<String> nodes, long s) {
    stateSeq = s;
    Set<String> present = compiled.nodes();
    for (String n : nodes) {
      if (present.contains(n)) {
        NodeFlows f = compiled.flows(n);
        desired.put(n, new DesiredFlows(f, compiled.ports(n), s));
      } else {
        desired.remove(n);
      }
      SwitchReconciler r = reconcilers.get(n);
      if (r != null) {
        r.markDirty();
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
    String node = null;
    String how = null;
    for (NodeInfo n : compiled.state().nodes()) {
      if (n.datapathId().isPresent() && n.datapathId().getAsLong() == dpid) {
        node = n.name();
        how = "annotation sluice.dev/datapath-id";
        break;
      }
    }
    if (node == null && config.switches().containsKey(dpid)) {
      node = config.switches().get(dpid);
      how = "the switches map of the configuration";
      if (compiled.state().node(node).isEmpty()) {
        if (unmatchedLogged.add(s)) {
          log.warn(
              "{}: configured for node {}, which does not exist (yet); leaving the switch alone",
              label(s),
              node);
        }
        return;
      }
    }
    if (node == null) {
      if (unmatchedLogged.add(s)) {
        log.warn(
            "{}: matches no node (no Node annotated sluice.dev/datapath-id={}, not in the"
                + " switches map); leaving the switch alone",
            label(s),
            s.datapathIdString());
      }
      return;
    }
    SwitchReconciler old = reconcilers.get(node);
    if (old != null) {
      if (old.session().isConnected() && old.session().datapathId() != dpid) {
        if (unmatchedLogged.add(s)) {
          log.error(
              "{}: node {} is already served by {}; leaving this switch alone",
              label(s),
              node,
              label(old.session()));
        }
        return;
      }
      old.close();
    }
    unmatchedLogged.remove(s);
    log.info("{}: matched to node {} by {}", label(s), node, how);
    final String nodeName = node;
    if (ports.learn(node, s.ports())) {
      refreshPorts(node);
    }
    SwitchReconciler r =
        new SwitchReconciler(
            s,
            node,
            () -> desired.get(nodeName),
            caughtUp,
            scheduler,
            counters(node),
            metrics,
            d -> stateThread.execute(() -> realized(nodeName, d)),
            () -> probe,
            msg -> error("switch", msg),
            config.retryMin(),
            config.retryMax(),
            this::provenance,
            journal);
    reconcilers.put(node, r);
    r.start();
  }

  private void refreshPorts(String node) {
    long t0 = System.nanoTime();
    CompiledCluster.Result r = compiled.refreshPorts(node);
    compiled = r.compiled();
    metrics.compiled(System.nanoTime() - t0);
    probe.portsRefreshed(node, t0, System.nanoTime());
    long s = ++seq;
    log.info(
        "node {}: ports {} → recompiled {}",
        node,
        compiled.ports(node).byName(),
        r.diffs().isEmpty() ? "(no change)" : describe(r));
    publish(r.diffs().keySet(), s);
    // A new snapshot for the node even without a diff: its seq must move past pending events
    // realized by the same flows.
    if (!r.diffs().containsKey(node) && compiled.nodes().contains(node)) {
      DesiredFlows d = desired.get(node);
      if (d == null) {
        desired.put(node, new DesiredFlows(compiled.flows(node), compiled.ports(node), s));
      }
    }
  }

  private void realized(String node, DesiredFlows d) {
    realization.realized(node, d.seq());
    Producer<String, String> p = realizationProducer;
    if (p == null) {
      return;
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("node", node);
    SwitchReconciler r = reconcilers.get(node);
    if (r != null) {
      m.put("datapathId", r.session().datapathIdString());
    }
    m.put("seq", d.seq());
    m.put("flows", d.flows().flows().size());
    m.put("realizedOffsets", realization.realizedOffsets(node));
    m.put("time", Instant.now().toString());
    publishRealization(p, node, m);
    // One record per NetworkPolicy generation newly realized on this node, keyed by the policy.
    for (RealizationTracker.PolicyVersion v : realization.newlyRealizedPolicies(node)) {
      Map<String, Object> pm = new LinkedHashMap<>();
      pm.put("policy", v.key());
      pm.put("generation", v.generation());
      pm.put("node", node);
      pm.put("time", m.get("time"));
      publishRealization(p, "networkpolicy/" + v.key(), pm);
    }
  }

  private void publishRealization(Producer<String, String> p, String key, Map<String, Object> m) {
    try {
      p.send(
          new ProducerRecord<>(config.topics().realization(), key, json.writeValueAsString(m)),
          (md, e) -> {
            if (e != null) {
              log.debug("realization event {} not published: {}", key, e.toString());
            }
          });
    } catch (RuntimeException | com.fasterxml.jackson.core.JsonProcessingException e) {
      log.debug("realization event {} not published: {}", key, e.toString());
    }
  }

  static String label(SwitchSession s) {
    return SwitchReconciler.label(s);
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
    desired.forEach((n, d) -> want.put(n, perTable(d.flows().flows())));
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
    Producer<String, String> p = realizationProducer;
    if (p != null) {
      p.close(Duration.ofSeconds(2));
    }
    AuditLog al = auditLog;
    if (al != null) {
      al.close();
    }
    stateThread.shutdownNow();
    try {
      stateThread.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    log.info("stopped");
  }

  // ---------------------------------------------------------------- callbacks

  /** Events from the event source's thread; waits for the state thread's verdict. */
  private final class Sink implements ClusterEventSink {
    @Override
    public List<ManifestError> apply(ObjectKey key, HasMetadata object, EventPosition position) {
      return onState(() -> applyChange(Change.upsert(object), key, position));
    }

    @Override
    public List<ManifestError> delete(ObjectKey key, EventPosition position) {
      return onState(() -> applyChange(Change.delete(key), key, position));
    }
  }

  /** Switch events from Netty's event loops: handed to the state thread. */
  private final class Listener implements SwitchListener {
    @Override
    public void switchConnected(SwitchSession s) {
      log.info("{}: connected from {} ({} ports)", label(s), s.remoteAddress(), s.ports().size());
      sessions.add(s);
      stateThread.execute(() -> match(s));
    }

    @Override
    public void switchDisconnected(SwitchSession s, String reason) {
      log.info("{}: disconnected: {}", label(s), reason);
      sessions.remove(s);
      stateThread.execute(
          () -> {
            unmatchedLogged.remove(s);
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
      stateThread.execute(
          () -> {
            for (SwitchReconciler r : reconcilers.values()) {
              if (r.session() == s && ports.learn(r.node(), s.ports())) {
                refreshPorts(r.node());
              }
            }
          });
    }

    @Override
    public void asyncError(SwitchSession s, dev.sluice.southbound.channel.OpenFlowError e) {
      log.warn("{}: asynchronous error {}", label(s), e);
      error("switch", label(s) + ": asynchronous error " + e);
    }
  }
}
