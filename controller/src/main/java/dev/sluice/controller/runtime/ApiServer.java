package dev.sluice.controller.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.sluice.compiler.flow.Flow;
import dev.sluice.compiler.flow.FlowText;
import dev.sluice.compiler.flow.PortNames;
import dev.sluice.southbound.channel.SwitchSession;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controller's HTTP API (JSON; localhost by default), for the CLI and for people.
 *
 * <pre>
 * GET /healthz                                   "ok" while the event source runs
 * GET /api/v1/switches                           connected switches: node, phase, flows, rounds
 * GET /api/v1/nodes                              per node: connected, flows desired/installed,
 *                                                realized offsets, pending events, lag
 * GET /api/v1/nodes/NAME/flows?view=desired|installed   the node's flows in ovs-ofctl text
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
  private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

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

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      if (!"GET".equals(ex.getRequestMethod())) {
        send(ex, 405, "text/plain", "only GET\n");
        return;
      }
      String path = ex.getRequestURI().getPath();
      Map<String, String> q = query(ex.getRequestURI().getRawQuery());
      if (path.equals("/healthz")) {
        boolean ok = !controller.eventSourceStopped();
        send(ex, ok ? 200 : 503, "text/plain", ok ? "ok\n" : "event source stopped\n");
      } else if (path.equals("/metrics")) {
        send(ex, 200, "text/plain; version=0.0.4; charset=utf-8", controller.scrape());
      } else if (path.equals("/api/v1/switches")) {
        sendJson(ex, 200, switches());
      } else if (path.equals("/api/v1/nodes")) {
        sendJson(ex, 200, nodes());
      } else if (path.startsWith("/api/v1/nodes/") && path.endsWith("/flows")) {
        String node = path.substring("/api/v1/nodes/".length(), path.length() - "/flows".length());
        Optional<Map<String, Object>> f = flows(node, q.getOrDefault("view", "desired"));
        if (f.isEmpty()) {
          sendJson(ex, 404, Map.of("error", "no node '" + node + "' with that view"));
        } else {
          sendJson(ex, 200, f.get());
        }
      } else if (path.equals("/api/v1/realization")) {
        sendJson(ex, 200, realization(q.get("position")));
      } else if (path.equals("/api/v1/errors")) {
        sendJson(ex, 200, Map.of("errors", controller.errors()));
      } else {
        sendJson(ex, 404, Map.of("error", "no such endpoint: " + path));
      }
    } catch (RuntimeException e) {
      log.warn("api {}: {}", ex.getRequestURI(), e.toString());
      try {
        sendJson(ex, 500, Map.of("error", String.valueOf(e)));
      } catch (IOException | RuntimeException ignored) {
        // the response may have started already
      }
    }
  }

  private List<Map<String, Object>> switches() {
    List<Map<String, Object>> out = new ArrayList<>();
    for (SwitchSession s : controller.sessions()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("datapathId", s.datapathIdString());
      m.put("remoteAddress", s.remoteAddress());
      m.put("ports", s.ports().numbers());
      Optional<SwitchReconciler> r =
          controller.nodes().stream()
              .map(controller::reconciler)
              .flatMap(Optional::stream)
              .filter(x -> x.session() == s)
              .findFirst();
      m.put("node", r.map(SwitchReconciler::node).orElse(null));
      m.put("status", r.map(SwitchReconciler::status).orElse(null));
      out.add(m);
    }
    return out;
  }

  private List<Map<String, Object>> nodes() {
    List<Map<String, Object>> out = new ArrayList<>();
    Map<String, Long> consumed = controller.realization().consumedOffsets();
    Map<String, Long> lag = new TreeMap<>();
    controller.eventStats().lag().forEach((tp, l) -> lag.put(tp.toString(), l));
    for (String n : controller.nodes()) {
      Map<String, Object> m = new LinkedHashMap<>();
      Optional<SwitchReconciler> r = controller.reconciler(n);
      m.put("name", n);
      m.put("connected", r.isPresent() && r.get().session().isConnected());
      m.put("datapathId", r.map(x -> x.session().datapathIdString()).orElse(null));
      m.put("flowsDesired", controller.desired(n).map(d -> d.flows().flows().size()).orElse(0));
      m.put("flowsInstalled", r.map(x -> x.status().flowsInstalled()).orElse(null));
      m.put("converged", r.map(SwitchReconciler::converged).orElse(false));
      m.put("phase", r.map(x -> x.status().phase().name()).orElse(null));
      SwitchReconciler.Counters c = controller.counters(n);
      m.put("flowModsSent", c.flowMods());
      m.put("bundlesSent", c.bundles());
      m.put("flowModsRejected", c.rejected());
      m.put("realizedOffsets", controller.realization().realizedOffsets(n));
      m.put("consumedOffsets", consumed);
      m.put("pendingEvents", controller.realization().pendingCount(n));
      m.put("lag", lag);
      out.add(m);
    }
    return out;
  }

  private Optional<Map<String, Object>> flows(String node, String view) {
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
      flows = r.get().installedFlows();
    } else {
      return Optional.empty();
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("node", node);
    m.put("view", view);
    m.put("count", flows.size());
    m.put(
        "flows",
        flows.stream()
            .map(f -> FlowText.formatForAdd(f, names, FlowText.Style.OPENFLOW13))
            .toList());
    return Optional.of(m);
  }

  private Map<String, Object> realization(String positions) {
    RealizationTracker t = controller.realization();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("consumedOffsets", t.consumedOffsets());
    Map<String, Object> nodes = new TreeMap<>();
    for (String n : controller.nodes()) {
      nodes.put(n, t.realizedOffsets(n));
    }
    m.put("realizedOffsets", nodes);
    m.put("policies", t.policies(controller.nodes()));
    if (positions != null && !positions.isBlank()) {
      List<Map<String, Object>> out = new ArrayList<>();
      for (String p : positions.split(",")) {
        out.add(position(p.strip()));
      }
      m.put("positions", out);
    }
    return m;
  }

  /** {@code topic-partition@offset}: consumed? affected nodes? realized on which? */
  private Map<String, Object> position(String p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("position", p);
    int at = p.lastIndexOf('@');
    if (at < 0) {
      m.put("error", "expected topic-partition@offset");
      return m;
    }
    String tp = p.substring(0, at);
    long offset;
    try {
      offset = Long.parseLong(p.substring(at + 1));
    } catch (NumberFormatException e) {
      m.put("error", "bad offset");
      return m;
    }
    RealizationTracker t = controller.realization();
    long consumed = t.consumedOffsets().getOrDefault(tp, -1L);
    m.put("consumed", consumed >= offset);
    RealizationTracker.EventOutcome o = t.event(p);
    m.put("affectedNodes", o == null ? null : o.affectedNodes());
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
        pendingOn.add(n);
      } else {
        noSwitch.add(n);
      }
    }
    m.put("realizedOn", realizedOn);
    // Nodes with a switch (connected, or expected by annotation or configuration) whose switch
    // has not acknowledged the event's flows yet.
    m.put("pendingOn", pendingOn);
    // Affected nodes no switch is known for: nothing can be realized there.
    m.put("noSwitch", noSwitch);
    m.put("realized", consumed >= offset && pendingOn.isEmpty());
    return m;
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

  private void sendJson(HttpExchange ex, int status, Object body) throws IOException {
    send(ex, status, "application/json", json.writeValueAsString(body) + "\n");
  }

  private static void send(HttpExchange ex, int status, String type, String body)
      throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(status, b.length);
    try (OutputStream o = ex.getResponseBody()) {
      o.write(b);
    }
  }
}
