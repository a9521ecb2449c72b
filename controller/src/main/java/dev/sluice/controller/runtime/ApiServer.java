package dev.sluice.controller.runtime;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.sluice.compiler.audit.AuditReport;
import dev.sluice.compiler.cluster.ObjectKey;
import dev.sluice.compiler.cluster.ObjectKind;
import dev.sluice.compiler.cluster.PodInfo;
import dev.sluice.compiler.cluster.Protocol;
import dev.sluice.compiler.explain.ClusterTrace;
import dev.sluice.compiler.explain.PolicyWhy;
import dev.sluice.compiler.explain.TraceProvenance;
import dev.sluice.compiler.flow.Flow;
import dev.sluice.compiler.flow.FlowText;
import dev.sluice.compiler.flow.Group;
import dev.sluice.compiler.flow.PortNames;
import dev.sluice.compiler.pipeline.Provenance;
import dev.sluice.compiler.sim.CtNext;
import dev.sluice.compiler.sim.Microflow;
import dev.sluice.compiler.sim.Simulator;
import dev.sluice.compiler.sim.Trace;
import dev.sluice.controller.api.ApiError;
import dev.sluice.controller.api.ApiJson;
import dev.sluice.controller.api.AuditResult;
import dev.sluice.controller.api.AuditRun;
import dev.sluice.controller.api.AuditSkipped;
import dev.sluice.controller.api.ErrorsView;
import dev.sluice.controller.api.FlowsView;
import dev.sluice.controller.api.LastAudits;
import dev.sluice.controller.api.NodeView;
import dev.sluice.controller.api.PolicyWhyView;
import dev.sluice.controller.api.PositionError;
import dev.sluice.controller.api.PositionRealization;
import dev.sluice.controller.api.PositionStatus;
import dev.sluice.controller.api.RealizationView;
import dev.sluice.controller.api.SwitchAudit;
import dev.sluice.controller.api.SwitchStatus;
import dev.sluice.controller.api.SwitchView;
import dev.sluice.controller.api.TraceRequest;
import dev.sluice.controller.api.TraceStep;
import dev.sluice.controller.api.TraceView;
import dev.sluice.southbound.channel.SwitchSession;
import dev.sluice.southbound.tables.Installed;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controller's HTTP API (JSON; localhost by default), for the CLI and for people. Every answer
 * is a record of {@code dev.sluice.controller.api} (the CLI reads the same records), every failure
 * an {@link ApiException} answered as {@link ApiError}; the routes are one table, {@link #routes}.
 *
 * <pre>
 * GET /healthz                                   "ok" while the event source runs
 * GET /api/v1/switches                           connected switches: node, phase, flows, rounds
 * GET /api/v1/nodes                              per node: connected, flows desired/installed,
 *                                                realized offsets, pending events, lag
 * GET /api/v1/nodes/NAME/flows?view=desired|installed[&pod=NS/NAME|&policy=NS/NAME|
 *     &service=NS/NAME][&table=N]               the node's flows in ovs-ofctl text, each with its
 *                                                provenance (installed: read from the switch now)
 * POST /api/v1/audit[?node=NAME][&repair=true]   audit now (in each reconciler's turn): the drift
 *                                                per switch with provenance; repair: one bundle
 * GET /api/v1/audit                              the last audit of every switch
 * POST /api/v1/trace                             body {node, microflow, ctNext: [..], view:
 *                                                desired|installed}: the simulator on the desired
 *                                                flows or on what the switch holds, each step
 *                                                with its provenance
 * GET /api/v1/policy/why?from=NS/POD&to=NS/POD&port=80/TCP   allowed or denied, and why
 * GET /api/v1/realization[?position=T-P@O,...]   consumed and realized offsets, policies realized
 *                                                on N of M nodes; with positions: per position,
 *                                                the affected nodes and where it is realized
 * GET /api/v1/errors                             recent rejections and switch errors
 * GET /metrics                                   Prometheus text format
 * </pre>
 */
final class ApiServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ApiServer.class);

  private final Controller controller;
  private final HttpServer server;
  private final ExecutorService executor;
  private final List<ApiRoute> routes = routes();

  private ApiServer(Controller controller, HttpServer server, ExecutorService executor) {
    this.controller = controller;
    this.server = server;
    this.executor = executor;
  }

  static ApiServer start(Controller controller, String listen) throws IOException {
    Map.Entry<String, Integer> hp = ControllerConfig.parseHostPort(listen, "api.listen");
    HttpServer s = HttpServer.create(new InetSocketAddress(hp.getKey(), hp.getValue()), 50);
    ExecutorService ex =
        Executors.newFixedThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "sluice-api");
              t.setDaemon(true);
              return t;
            });
    ApiServer api = new ApiServer(controller, s, ex);
    s.createContext("/", api::handle);
    s.setExecutor(ex);
    s.start();
    log.info("api listening on http://{}", api.address());
    return api;
  }

  /** {@code host:port} bound. */
  String address() {
    InetSocketAddress a = server.getAddress();
    return a.getHostString() + ":" + a.getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  /** An answer: status, content type and body. */
  record Reply(int status, String contentType, String body) {
    static Reply json(Object body) {
      return new Reply(200, "application/json", ApiJson.pretty(body) + "\n");
    }

    static Reply text(int status, String contentType, String body) {
      return new Reply(status, contentType, body);
    }
  }

  /** Every endpoint, in one table: method, path pattern, handler. */
  private List<ApiRoute> routes() {
    return List.of(
        new ApiRoute("GET", "/healthz", r -> healthz()),
        new ApiRoute(
            "GET",
            "/metrics",
            r -> Reply.text(200, "text/plain; version=0.0.4; charset=utf-8", controller.scrape())),
        new ApiRoute("GET", "/api/v1/switches", r -> Reply.json(switches())),
        new ApiRoute("GET", "/api/v1/nodes", r -> Reply.json(nodes())),
        new ApiRoute(
            "GET",
            "/api/v1/nodes/{node}/flows",
            r ->
                Reply.json(
                    flows(r.path().get("node"), r.query().getOrDefault("view", "desired"), r))),
        new ApiRoute("GET", "/api/v1/audit", r -> Reply.json(lastAudits())),
        new ApiRoute(
            "POST",
            "/api/v1/audit",
            r ->
                Reply.json(
                    audit(
                        Optional.ofNullable(r.query().get("node")),
                        "true".equals(r.query().get("repair"))))),
        new ApiRoute(
            "POST", "/api/v1/trace", r -> Reply.json(trace(r.body(TraceRequest.class, "trace")))),
        new ApiRoute("GET", "/api/v1/policy/why", r -> Reply.json(why(r))),
        new ApiRoute(
            "GET", "/api/v1/realization", r -> Reply.json(realization(r.query().get("position")))),
        new ApiRoute(
            "GET", "/api/v1/errors", r -> Reply.json(new ErrorsView(controller.errors()))));
  }

  private Reply healthz() {
    boolean ok = !controller.eventSourceStopped();
    return Reply.text(ok ? 200 : 503, "text/plain", ok ? "ok\n" : "event source stopped\n");
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String method = ex.getRequestMethod();
      String path = ex.getRequestURI().getPath();
      Reply reply;
      try {
        Map.Entry<ApiRoute, Map<String, String>> m = ApiRoute.find(routes, method, path);
        byte[] body;
        try (java.io.InputStream in = ex.getRequestBody()) {
          body = in.readAllBytes();
        }
        reply =
            m.getKey()
                .handler()
                .handle(
                    new ApiRoute.Request(
                        m.getValue(), query(ex.getRequestURI().getRawQuery()), body));
      } catch (ApiException e) {
        log.info("api {} {}: {} {}", method, ex.getRequestURI(), e.status(), e.getMessage());
        reply = error(e.status(), e.getMessage());
      } catch (RuntimeException e) {
        log.warn("api {} {}: {}", method, ex.getRequestURI(), e.toString(), e);
        reply = error(500, String.valueOf(e));
      }
      send(ex, reply);
    }
  }

  /** The one error body: {@code {"error": message}} with its status. */
  static Reply error(int status, String message) {
    return new Reply(status, "application/json", ApiJson.pretty(new ApiError(message)) + "\n");
  }

  private List<SwitchView> switches() {
    List<SwitchView> out = new ArrayList<>();
    for (SwitchSession s : controller.sessions()) {
      Optional<SwitchReconciler> r =
          controller.nodes().stream()
              .map(controller::reconciler)
              .flatMap(Optional::stream)
              .filter(x -> x.session() == s)
              .findFirst();
      out.add(
          new SwitchView(
              s.datapathIdString(),
              s.remoteAddress(),
              s.ports().numbers(),
              r.map(SwitchReconciler::node).orElse(null),
              r.map(x -> status(x.status())).orElse(null)));
    }
    return out;
  }

  private static SwitchStatus status(SwitchReconciler.Status s) {
    return new SwitchStatus(
        s.node(),
        s.datapathId(),
        s.bridge(),
        s.remoteAddress(),
        s.phase().name(),
        s.flowsDesired(),
        s.flowsInstalled(),
        s.desiredSeq(),
        s.installedSeq(),
        s.rounds(),
        s.flowMods(),
        s.rejectedFlows(),
        s.lastError(),
        s.lastRoundAt(),
        s.lastRoundMillis());
  }

  private List<NodeView> nodes() {
    List<NodeView> out = new ArrayList<>();
    Map<String, Long> consumed = controller.realization().consumedOffsets();
    // In (topic, partition) order, as the offsets are.
    TreeMap<RealizationTracker.Partition, Long> byPartition = new TreeMap<>();
    controller
        .eventStats()
        .lag()
        .forEach(
            (tp, l) ->
                byPartition.put(new RealizationTracker.Partition(tp.topic(), tp.partition()), l));
    Map<String, Long> lag = new LinkedHashMap<>();
    byPartition.forEach((tp, l) -> lag.put(tp.toString(), l));
    for (String n : controller.nodes()) {
      Optional<SwitchReconciler> r = controller.reconciler(n);
      SwitchReconciler.Counters c = controller.counters(n);
      out.add(
          new NodeView(
              n,
              r.isPresent() && r.get().session().isConnected(),
              r.map(x -> x.session().datapathIdString()).orElse(null),
              controller.desired(n).map(d -> d.flows().flows().size()).orElse(0),
              r.map(x -> x.status().flowsInstalled()).orElse(null),
              r.map(SwitchReconciler::converged).orElse(false),
              r.map(x -> x.status().phase().name()).orElse(null),
              c.flowMods(),
              c.bundles(),
              c.rejected(),
              controller.realization().realizedOffsets(n),
              consumed,
              controller.realization().pendingCount(n),
              lag));
    }
    return out;
  }

  private FlowsView flows(String node, String view, ApiRoute.Request q) {
    return flowsIfAny(node, view, q)
        .orElseThrow(() -> ApiException.notFound("no node '" + node + "' with that view"));
  }

  private Optional<FlowsView> flowsIfAny(String node, String view, ApiRoute.Request q) {
    Optional<DesiredFlows> d = controller.desired(node);
    PortNames names = d.map(x -> x.ports().names()).orElse(PortNames.NONE);
    List<Flow> flows;
    if (view.equals("desired")) {
      if (d.isEmpty()) {
        return Optional.empty();
      }
      flows = d.get().flows().flows();
    } else if (view.equals("installed")) {
      Optional<SwitchReconciler> r = controller.reconciler(node);
      if (r.isEmpty()) {
        return Optional.empty();
      }
      if (d.isEmpty()) {
        names = r.get().portNames();
      }
      flows = new ArrayList<>(await(r.get().readSwitch()).flows());
      flows.sort(java.util.Comparator.comparing(Flow::key));
    } else {
      return Optional.empty();
    }
    Provenance prov = controller.provenance();
    java.util.function.Predicate<Flow> keep = flowFilter(q, prov);
    List<Flow> shown = flows.stream().filter(keep).toList();
    final PortNames n = names;
    return Optional.of(
        new FlowsView(
            node,
            view,
            shown.size(),
            flows.size(),
            shown.stream()
                .map(f -> FlowText.formatForAdd(f, n, FlowText.Style.OPENFLOW13))
                .toList(),
            shown.stream().map(f -> AuditJson.flow(f, n, prov)).toList()));
  }

  /** The query parameters that filter flows by the object they come from. */
  private static final Map<String, ObjectKind> FLOW_FILTERS =
      Map.of(
          "pod",
          ObjectKind.POD,
          "policy",
          ObjectKind.NETWORK_POLICY,
          "service",
          ObjectKind.SERVICE);

  /** {@code pod}, {@code policy}, {@code service} (NS/NAME) and {@code table} filters. */
  private static java.util.function.Predicate<Flow> flowFilter(
      ApiRoute.Request q, Provenance prov) {
    java.util.function.Predicate<Flow> p = f -> true;
    String table = q.query().get("table");
    if (table != null && !table.isEmpty()) {
      int t;
      try {
        t = Integer.parseInt(table);
      } catch (NumberFormatException e) {
        throw ApiException.badRequest("table: expected a number, got '" + table + "'");
      }
      p = p.and(f -> f.table() == t);
    }
    for (Map.Entry<String, ObjectKind> filter : FLOW_FILTERS.entrySet()) {
      Optional<ObjectKey> key = q.objectKey(filter.getKey(), filter.getValue());
      if (key.isPresent()) {
        ObjectKey k = key.get();
        p = p.and(f -> prov.origins(f.cookie()).stream().anyMatch(o -> k.equals(o.object())));
      }
    }
    return p;
  }

  private static <T> T await(java.util.concurrent.CompletableFuture<T> f) {
    try {
      return f.get(60, java.util.concurrent.TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (java.util.concurrent.ExecutionException e) {
      Throwable c = e.getCause();
      throw new IllegalStateException(c == null ? e.toString() : c.getMessage(), c);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("timed out after 60 s", e);
    }
  }

  // ---------------------------------------------------------------- audit

  private AuditRun audit(Optional<String> node, boolean repair) {
    List<SwitchReconciler.AuditOutcome> outcomes;
    try {
      outcomes = await(controller.audit(node, repair));
    } catch (IllegalStateException e) {
      if (e.getCause() instanceof IllegalArgumentException a) {
        throw ApiException.notFound(String.valueOf(a.getMessage()));
      }
      throw e;
    }
    return new AuditRun(
        repair,
        outcomes.stream().allMatch(SwitchReconciler.AuditOutcome::clean),
        outcomes.stream().map(ApiServer::outcome).toList());
  }

  private LastAudits lastAudits() {
    List<SwitchAudit> out = new ArrayList<>();
    for (String n : controller.nodes()) {
      controller
          .reconciler(n)
          .flatMap(SwitchReconciler::lastAudit)
          .ifPresent(o -> out.add(outcome(o)));
    }
    return new LastAudits(out);
  }

  static SwitchAudit outcome(SwitchReconciler.AuditOutcome o) {
    String skipped = o.skipped();
    AuditReport r = o.report();
    if (skipped != null || r == null) {
      return new AuditSkipped(
          o.node(),
          o.datapathId(),
          o.bridge(),
          o.time().toString(),
          AuditSkipped.STATUS,
          skipped == null ? "no report" : skipped);
    }
    return AuditResult.of(
        o.node(),
        o.datapathId(),
        o.bridge(),
        o.time().toString(),
        o.repaired(),
        o.changesSent(),
        o.millis(),
        AuditJson.driftReport(r, o.names(), o.provenance()));
  }

  // ---------------------------------------------------------------- trace, why

  private TraceView trace(TraceRequest body) {
    String node = body.node();
    String microflow = body.microflow();
    String view = body.view() == null ? "desired" : body.view();
    List<String> ctNext = body.ctNext() == null ? List.of() : body.ctNext();
    Optional<DesiredFlows> d = controller.desired(node);
    List<Flow> flows;
    List<Group> groups;
    PortNames names;
    if (view.equals("installed")) {
      Optional<SwitchReconciler> r = controller.reconciler(node);
      if (r.isEmpty()) {
        throw ApiException.badRequest("no switch connected for node '" + node + "'");
      }
      Installed inst = await(r.get().readSwitch());
      flows = inst.flows();
      groups = inst.groups();
      names = r.get().portNames();
    } else if (view.equals("desired")) {
      if (d.isEmpty()) {
        throw ApiException.badRequest("no node '" + node + "' (nodes: " + controller.nodes() + ")");
      }
      flows = d.get().flows().flows();
      groups = d.get().flows().groups();
      names = d.get().ports().names();
    } else {
      throw ApiException.badRequest("view must be desired or installed");
    }
    Microflow packet;
    try {
      packet = Microflow.parse(microflow, names);
    } catch (RuntimeException e) {
      throw ApiException.badRequest("microflow: " + e.getMessage());
    }
    Trace t = new Simulator(flows, groups).trace(packet, CtNext.of(ctNext.toArray(new String[0])));
    return traceView(node, view, t, names, controller.provenance());
  }

  /**
   * A trace on {@code node} ({@code view}: null in a policy-why walk): steps with provenance, the
   * annotated text, verdict, tables, ports.
   */
  static TraceView traceView(
      String node, @Nullable String view, Trace t, PortNames names, Provenance prov) {
    Trace.Report rep = t.report(names);
    List<String> notes = TraceProvenance.annotate(t, prov);
    List<TraceStep> steps = new ArrayList<>();
    for (int i = 0; i < rep.steps().size(); i++) {
      Trace.StepReport s = rep.steps().get(i);
      Flow f = t.steps().get(i).flow();
      steps.add(
          new TraceStep(
              s.pass(),
              s.table(),
              s.priority(),
              s.match(),
              s.actions(),
              s.cookie(),
              s.conjId(),
              s.note(),
              notes.get(i),
              f == null ? List.of() : AuditJson.origins(f, prov)));
    }
    return new TraceView(
        node,
        view,
        rep.microflow(),
        steps,
        t.tables(),
        t.verdict().ports(),
        rep.outputs(),
        rep.verdict(),
        rep.kind(),
        annotatedText(t, names, notes));
  }

  /** Trace.format with each step followed by its provenance line. */
  static String annotatedText(Trace t, PortNames names, List<String> notes) {
    StringBuilder sb = new StringBuilder();
    sb.append("packet: ").append(t.microflow().format(names)).append('\n');
    int pass = -1;
    for (int i = 0; i < t.steps().size(); i++) {
      Trace.Step s = t.steps().get(i);
      if (s.pass() != pass) {
        pass = s.pass();
        if (pass > 0) {
          Trace.Pass p = t.passes().get(pass);
          sb.append("recirculation ")
              .append(pass)
              .append(": resume at table ")
              .append(p.table())
              .append(" with ct_state=")
              .append(dev.sluice.compiler.sim.Packet.ctStateFlags(p.ctState()))
              .append('\n');
        }
      }
      sb.append(s.format(names)).append('\n');
      sb.append("    = ").append(notes.get(i)).append('\n');
    }
    sb.append("verdict: ").append(t.verdict().format(names)).append('\n');
    return sb.toString();
  }

  private PolicyWhyView why(ApiRoute.Request q) {
    ObjectKey from = required(q, "from", ObjectKind.POD);
    ObjectKey to = required(q, "to", ObjectKind.POD);
    String portSpec = q.query().getOrDefault("port", "80/TCP");
    int slash = portSpec.indexOf('/');
    int port;
    Protocol protocol;
    try {
      port = Integer.parseInt(slash < 0 ? portSpec : portSpec.substring(0, slash));
      protocol = Protocol.parse(slash < 0 ? "TCP" : portSpec.substring(slash + 1));
    } catch (RuntimeException e) {
      throw ApiException.badRequest(
          "port: expected PORT/PROTOCOL (80/TCP), got '" + portSpec + "'");
    }
    return controller.withCompiled(
        c -> {
          Optional<PodInfo> src = c.state().pod(from.namespace(), from.name());
          Optional<PodInfo> dst = c.state().pod(to.namespace(), to.name());
          if (src.isEmpty() || dst.isEmpty()) {
            throw ApiException.badRequest(
                "no pod '" + (src.isEmpty() ? from : to).key() + "' (expected NS/NAME)");
          }
          PolicyWhy.Explanation e;
          try {
            e = PolicyWhy.explain(c, src.get(), dst.get(), port, protocol);
          } catch (IllegalArgumentException x) {
            throw ApiException.badRequest(String.valueOf(x.getMessage()));
          }
          Provenance prov = c.provenance();
          List<TraceView> hops = new ArrayList<>();
          for (ClusterTrace.Hop h : e.walk().hops()) {
            hops.add(traceView(h.node(), null, h.trace(), c.ports(h.node()).names(), prov));
          }
          return new PolicyWhyView(
              e.from(),
              e.to(),
              e.port(),
              e.protocol().name(),
              e.allowed(),
              e.egressIsolatedBy(),
              e.ingressIsolatedBy(),
              e.egressRule(),
              e.ingressRule(),
              e.summary(),
              e.walk().end().name().toLowerCase(java.util.Locale.ROOT),
              hops);
        });
  }

  /** A required {@code NS/NAME} parameter. */
  private static ObjectKey required(ApiRoute.Request q, String param, ObjectKind kind) {
    return q.objectKey(param, kind)
        .orElseThrow(
            () ->
                ApiException.badRequest(
                    param + ": required, NAMESPACE/NAME of a " + kind.apiKind()));
  }

  private RealizationView realization(@Nullable String positions) {
    RealizationTracker t = controller.realization();
    Map<String, Map<String, Long>> nodes = new TreeMap<>();
    for (String n : controller.nodes()) {
      nodes.put(n, t.realizedOffsets(n));
    }
    List<PositionStatus> asked = null;
    if (positions != null && !positions.isBlank()) {
      asked = new ArrayList<>();
      for (String p : positions.split(",")) {
        asked.add(position(p.strip()));
      }
    }
    return new RealizationView(t.consumedOffsets(), nodes, t.policies(controller.nodes()), asked);
  }

  /** {@code topic-partition@offset}: consumed? affected nodes? realized on which? */
  private PositionStatus position(String p) {
    int at = p.lastIndexOf('@');
    if (at < 0) {
      return new PositionError(p, "expected topic-partition@offset");
    }
    String tp = p.substring(0, at);
    long offset;
    try {
      offset = Long.parseLong(p.substring(at + 1));
    } catch (NumberFormatException e) {
      return new PositionError(p, "bad offset");
    }
    RealizationTracker t = controller.realization();
    long consumed = t.consumedOffsets().getOrDefault(tp, -1L);
    RealizationTracker.EventOutcome o = t.event(p);
    // The nodes the event changed (all nodes when it is too old to be remembered).
    java.util.Collection<String> scope = o == null ? controller.nodes() : o.affectedNodes();
    List<String> realizedOn = new ArrayList<>();
    List<String> pendingOn = new ArrayList<>();
    List<String> noSwitch = new ArrayList<>();
    for (String n : new java.util.TreeSet<>(scope)) {
      long r = t.realizedOffsets(n).getOrDefault(tp, -1L);
      if (r >= offset) {
        realizedOn.add(n);
      } else if (controller.expectsSwitch(n)) {
        // A switch (connected, or expected by annotation or configuration) that has not
        // acknowledged the event's flows yet.
        pendingOn.add(n);
      } else {
        // No switch is known for the node: nothing can be realized there.
        noSwitch.add(n);
      }
    }
    return new PositionRealization(
        p,
        consumed >= offset,
        o == null ? null : List.copyOf(o.affectedNodes()),
        realizedOn,
        pendingOn,
        noSwitch,
        consumed >= offset && pendingOn.isEmpty());
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> m = new LinkedHashMap<>();
    if (raw == null) {
      return m;
    }
    for (String kv : raw.split("&")) {
      int eq = kv.indexOf('=');
      String k = eq < 0 ? kv : kv.substring(0, eq);
      String v = eq < 0 ? "" : kv.substring(eq + 1);
      m.put(
          URLDecoder.decode(k, StandardCharsets.UTF_8),
          URLDecoder.decode(v, StandardCharsets.UTF_8));
    }
    return m;
  }

  private static void send(HttpExchange ex, Reply r) throws IOException {
    byte[] b = r.body().getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", r.contentType());
    ex.sendResponseHeaders(r.status(), b.length);
    try (OutputStream o = ex.getResponseBody()) {
      o.write(b);
    }
  }
}
