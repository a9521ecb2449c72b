package dev.sluice.controller.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.sluice.compiler.cluster.Ipv4Cidr;
import dev.sluice.compiler.pipeline.Marks;
import dev.sluice.controller.events.EventSourceConfig;
import dev.sluice.controller.events.TopicNames;
import dev.sluice.southbound.channel.ListenAddress;
import dev.sluice.southbound.channel.TlsConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Everything {@code sluice controller} needs, from a YAML file ({@code --config}, see {@code
 * deploy/controller.example.yaml}, which documents every field) with command-line flags on top.
 *
 * <h2>Matching a switch to its Node</h2>
 *
 * A connecting switch is identified by its OpenFlow datapath id. It belongs to the Node whose
 * annotation {@code sluice.dev/datapath-id} equals that id; failing that, to the node the {@link
 * #switches()} map names for the id. A switch that matches no node is logged and left alone (its
 * flows are never touched); it is matched as soon as a Node with its id arrives.
 *
 * @param openflowListen where switches connect: {@code tcp:HOST:PORT}, {@code HOST:PORT} or {@code
 *     unix:PATH}
 * @param tls TLS for the OpenFlow listener, if any
 * @param bootstrapServers Kafka bootstrap servers
 * @param consumerGroup the consumer group the controller commits offsets under
 * @param topics topic names (object topics, dead letters, realization, audit)
 * @param topicPartitions partitions of topics the controller creates
 * @param replicationFactor replicas of topics the controller creates
 * @param serviceCidr the Service CIDR (kube-proxy mode: sent to the gateway in table 40)
 * @param cookieRound the cookie round of every flow (fixed, so a restarted controller recognizes
 *     its flows and sends nothing to an up-to-date switch)
 * @param switches datapath id → node name, for nodes without the annotation
 * @param auditInterval how often the auditor compares switches with the desired state (zero: never,
 *     only on demand)
 * @param auditMode whether the periodic audit only reports drift or also repairs it
 * @param auditLog the audit log file (JSON lines; rotated); by default in the XDG state directory,
 *     see {@link #defaultAuditLog}
 * @param auditLogMaxBytes the audit log rotates when it would grow beyond this size
 * @param auditLogFiles rotated audit log files kept ({@code audit.log.1} ... {@code .K})
 * @param apiListen the HTTP API's {@code HOST:PORT} (port 0: any free port)
 * @param retryMin first wait after a failed round (doubles up to {@code retryMax})
 * @param retryMax longest wait between retries of a failed round
 */
public record ControllerConfig(
    String openflowListen,
    Optional<TlsConfig> tls,
    String bootstrapServers,
    String consumerGroup,
    TopicNames topics,
    int topicPartitions,
    short replicationFactor,
    Ipv4Cidr serviceCidr,
    int cookieRound,
    Map<Long, String> switches,
    Duration auditInterval,
    AuditMode auditMode,
    Path auditLog,
    long auditLogMaxBytes,
    int auditLogFiles,
    String apiListen,
    Duration retryMin,
    Duration retryMax) {

  /** What the periodic audit does with drift. */
  public enum AuditMode {
    /** Report drift (log, audit log, metrics, API) and leave the switch alone. */
    REPORT,
    /** Report drift and send the fix as one bundle. */
    REPAIR;

    /** {@code report} or {@code repair}. */
    public static AuditMode parse(String s) {
      for (AuditMode m : values()) {
        if (m.name().equalsIgnoreCase(s.strip())) {
          return m;
        }
      }
      throw new IllegalArgumentException("audit mode '" + s + "': expected report or repair");
    }
  }

  /** Validates and copies. */
  public ControllerConfig {
    ListenAddress.parse(normalizeListen(openflowListen));
    parseHostPort(apiListen, "api.listen");
    if (topicPartitions < 1 || replicationFactor < 1) {
      throw new IllegalArgumentException("partitions and replication factor must be >= 1");
    }
    if (cookieRound < 0 || cookieRound > 0xffff) {
      throw new IllegalArgumentException("cookie round " + cookieRound + " is not 0..65535");
    }
    if (auditInterval.isNegative() || retryMin.isNegative() || retryMax.compareTo(retryMin) < 0) {
      throw new IllegalArgumentException("bad durations");
    }
    if (auditLogMaxBytes < 1024 || auditLogFiles < 1) {
      throw new IllegalArgumentException(
          "audit log: rotate size must be >= 1 KiB and at least one rotated file kept");
    }
    switches = Map.copyOf(switches);
  }

  /** The audit log's default size limit: 10 MiB. */
  public static final long DEFAULT_AUDIT_LOG_MAX_BYTES = 10L * 1024 * 1024;

  /** Defaults: OpenFlow on 127.0.0.1:6653, Kafka on 127.0.0.1:9092, API on 127.0.0.1:8181. */
  public static ControllerConfig defaults() {
    return new ControllerConfig(
        "tcp:127.0.0.1:6653",
        Optional.empty(),
        "127.0.0.1:9092",
        EventSourceConfig.DEFAULT_GROUP,
        TopicNames.defaults(),
        1,
        (short) 1,
        Marks.DEFAULT_SERVICE_CIDR,
        1,
        Map.of(),
        Duration.ofSeconds(10),
        AuditMode.REPORT,
        defaultAuditLog(System.getenv(), System.getProperty("user.home")),
        DEFAULT_AUDIT_LOG_MAX_BYTES,
        5,
        "127.0.0.1:8181",
        Duration.ofMillis(500),
        Duration.ofSeconds(30));
  }

  /**
   * Where the audit log goes unless configured: the XDG state directory, {@code
   * $XDG_STATE_HOME/sluice/audit.log}, or {@code ~/.local/state/sluice/audit.log} when that
   * variable is unset or not absolute (as the XDG Base Directory specification says) — never the
   * working directory, which is wherever the controller happened to be started.
   */
  static Path defaultAuditLog(Map<String, String> env, String userHome) {
    String state = env.get("XDG_STATE_HOME");
    Path dir =
        state != null && !state.isBlank() && Path.of(state).isAbsolute()
            ? Path.of(state)
            : Path.of(userHome, ".local", "state");
    return dir.resolve("sluice").resolve("audit.log");
  }

  /** The OpenFlow listen address. */
  public ListenAddress listenAddress() {
    return ListenAddress.parse(normalizeListen(openflowListen));
  }

  /** {@code HOST:PORT} without a scheme is TCP. */
  static String normalizeListen(String s) {
    return s.startsWith("tcp:") || s.startsWith("unix:") ? s : "tcp:" + s;
  }

  /** Splits {@code HOST:PORT}. */
  static Map.Entry<String, Integer> parseHostPort(String s, String what) {
    int colon = s.lastIndexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException(what + ": expected HOST:PORT, got '" + s + "'");
    }
    try {
      int port = Integer.parseInt(s.substring(colon + 1));
      if (port < 0 || port > 65535) {
        throw new NumberFormatException();
      }
      return Map.entry(s.substring(0, colon), port);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(what + ": bad port in '" + s + "'", e);
    }
  }

  /** Parses a datapath id: hex, with or without {@code 0x} (as OVS prints it, 16 digits). */
  public static long parseDatapathId(String s) {
    String t = s.strip().toLowerCase(Locale.ROOT);
    if (t.startsWith("0x")) {
      t = t.substring(2);
    }
    if (t.isEmpty() || t.length() > 16) {
      throw new IllegalArgumentException("datapath id '" + s + "' is not 1..16 hex digits");
    }
    try {
      return Long.parseUnsignedLong(t, 16);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("datapath id '" + s + "' is not hex", e);
    }
  }

  /** Parses a duration ({@link Durations#parse}: the syntax flags use too). */
  public static Duration parseDuration(String s) {
    return Durations.parse(s);
  }

  /**
   * Reads a YAML (or JSON) file over {@link #defaults()}. Unknown keys are errors naming the key,
   * so a typo never silently falls back to a default.
   */
  public static ControllerConfig load(Path file) throws IOException {
    JsonNode root = new YAMLMapper().readTree(file.toFile());
    if (root == null || root.isNull() || root.isMissingNode()) {
      return defaults();
    }
    try {
      return fromTree(root, defaults());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  /** Applies a parsed configuration tree over {@code base}. */
  static ControllerConfig fromTree(JsonNode root, ControllerConfig base) {
    Builder b = new Builder(base);
    object(root, "", Set.of("openflow", "kafka", "cluster", "switches", "audit", "api", "retry"));
    JsonNode of = root.path("openflow");
    if (!of.isMissingNode()) {
      object(of, "openflow", Set.of("listen", "tls"));
      b.openflowListen = text(of, "listen", b.openflowListen);
      JsonNode tls = of.path("tls");
      if (!tls.isMissingNode() && !tls.isNull()) {
        object(tls, "openflow.tls", Set.of("certificate", "privateKey", "switchCa"));
        b.tls =
            Optional.of(
                new TlsConfig(
                    Path.of(required(tls, "certificate", "openflow.tls")),
                    Path.of(required(tls, "privateKey", "openflow.tls")),
                    Optional.ofNullable(text(tls, "switchCa", null)).map(Path::of)));
      }
    }
    JsonNode k = root.path("kafka");
    if (!k.isMissingNode()) {
      object(
          k,
          "kafka",
          Set.of(
              "bootstrapServers",
              "consumerGroup",
              "topicPrefix",
              "topics",
              "partitions",
              "replicationFactor"));
      b.bootstrapServers = text(k, "bootstrapServers", b.bootstrapServers);
      b.consumerGroup = text(k, "consumerGroup", b.consumerGroup);
      String prefix = text(k, "topicPrefix", null);
      if (prefix != null) {
        b.topics = TopicNames.withPrefix(prefix);
      }
      JsonNode t = k.path("topics");
      if (!t.isMissingNode()) {
        b.topics = topics(t, b.topics);
      }
      b.topicPartitions = k.path("partitions").asInt(b.topicPartitions);
      b.replicationFactor = (short) k.path("replicationFactor").asInt(b.replicationFactor);
    }
    JsonNode c = root.path("cluster");
    if (!c.isMissingNode()) {
      object(c, "cluster", Set.of("serviceCidr", "cookieRound"));
      String cidr = text(c, "serviceCidr", null);
      if (cidr != null) {
        b.serviceCidr = Ipv4Cidr.parse(cidr);
      }
      b.cookieRound = c.path("cookieRound").asInt(b.cookieRound);
    }
    JsonNode sw = root.path("switches");
    if (!sw.isMissingNode() && !sw.isNull()) {
      if (!sw.isObject()) {
        throw new IllegalArgumentException("switches: expected a map of datapath id → node name");
      }
      Map<Long, String> m = new TreeMap<>(b.switches);
      for (Map.Entry<String, JsonNode> e : sw.properties()) {
        m.put(parseDatapathId(e.getKey()), e.getValue().asText());
      }
      b.switches = m;
    }
    JsonNode a = root.path("audit");
    if (!a.isMissingNode()) {
      object(a, "audit", Set.of("interval", "mode", "log", "logMaxMegabytes", "logFiles"));
      String i = text(a, "interval", null);
      if (i != null) {
        b.auditInterval = duration(i, "audit.interval");
      }
      String m = text(a, "mode", null);
      if (m != null) {
        b.auditMode = AuditMode.parse(m);
      }
      String l = text(a, "log", null);
      if (l != null) {
        b.auditLog = Path.of(l);
      }
      JsonNode mb = a.path("logMaxMegabytes");
      if (!mb.isMissingNode()) {
        b.auditLogMaxBytes = Math.round(mb.asDouble() * 1024 * 1024);
      }
      b.auditLogFiles = a.path("logFiles").asInt(b.auditLogFiles);
    }
    JsonNode api = root.path("api");
    if (!api.isMissingNode()) {
      object(api, "api", Set.of("listen"));
      b.apiListen = text(api, "listen", b.apiListen);
    }
    JsonNode r = root.path("retry");
    if (!r.isMissingNode()) {
      object(r, "retry", Set.of("min", "max"));
      String min = text(r, "min", null);
      String max = text(r, "max", null);
      if (min != null) {
        b.retryMin = duration(min, "retry.min");
      }
      if (max != null) {
        b.retryMax = duration(max, "retry.max");
      }
    }
    return b.build();
  }

  private static Duration duration(String value, String field) {
    try {
      return Durations.parse(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(field + ": " + e.getMessage(), e);
    }
  }

  private static TopicNames topics(JsonNode t, TopicNames base) {
    object(
        t,
        "kafka.topics",
        Set.of(
            "nodes",
            "namespaces",
            "pods",
            "services",
            "endpoints",
            "endpointSlices",
            "networkPolicies",
            "deadLetter",
            "realization",
            "audit"));
    return new TopicNames(
        text(t, "nodes", base.nodes()),
        text(t, "namespaces", base.namespaces()),
        text(t, "pods", base.pods()),
        text(t, "services", base.services()),
        text(t, "endpoints", base.endpoints()),
        text(t, "endpointSlices", base.endpointSlices()),
        text(t, "networkPolicies", base.networkPolicies()),
        text(t, "deadLetter", base.deadLetter()),
        text(t, "realization", base.realization()),
        text(t, "audit", base.audit()));
  }

  private static void object(JsonNode n, String path, Set<String> allowed) {
    if (!n.isObject()) {
      throw new IllegalArgumentException(
          (path.isEmpty() ? "the file" : path) + ": expected a map of settings");
    }
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!allowed.contains(f)) {
        throw new IllegalArgumentException(
            "unknown setting '"
                + (path.isEmpty() ? f : path + "." + f)
                + "' (known: "
                + new java.util.TreeSet<>(allowed)
                + ")");
      }
    }
  }

  private static String required(JsonNode n, String field, String path) {
    String v = text(n, field, null);
    if (v == null) {
      throw new IllegalArgumentException(path + "." + field + " is required");
    }
    return v;
  }

  @SuppressWarnings("NullAway")
  private static String text(JsonNode n, String field, String dflt) {
    JsonNode v = n.path(field);
    return v.isMissingNode() || v.isNull() ? dflt : v.asText();
  }

  /** A mutable copy, for the file loader and command-line overrides. */
  public static final class Builder {
    /** See {@link ControllerConfig#openflowListen()}. */
    public String openflowListen;

    /** See {@link ControllerConfig#tls()}. */
    public Optional<TlsConfig> tls;

    /** See {@link ControllerConfig#bootstrapServers()}. */
    public String bootstrapServers;

    /** See {@link ControllerConfig#consumerGroup()}. */
    public String consumerGroup;

    /** See {@link ControllerConfig#topics()}. */
    public TopicNames topics;

    /** See {@link ControllerConfig#topicPartitions()}. */
    public int topicPartitions;

    /** See {@link ControllerConfig#replicationFactor()}. */
    public short replicationFactor;

    /** See {@link ControllerConfig#serviceCidr()}. */
    public Ipv4Cidr serviceCidr;

    /** See {@link ControllerConfig#cookieRound()}. */
    public int cookieRound;

    /** See {@link ControllerConfig#switches()}. */
    public Map<Long, String> switches;

    /** See {@link ControllerConfig#auditInterval()}. */
    public Duration auditInterval;

    /** See {@link ControllerConfig#auditMode()}. */
    public AuditMode auditMode;

    /** See {@link ControllerConfig#auditLog()}. */
    public Path auditLog;

    /** See {@link ControllerConfig#auditLogMaxBytes()}. */
    public long auditLogMaxBytes;

    /** See {@link ControllerConfig#auditLogFiles()}. */
    public int auditLogFiles;

    /** See {@link ControllerConfig#apiListen()}. */
    public String apiListen;

    /** See {@link ControllerConfig#retryMin()}. */
    public Duration retryMin;

    /** See {@link ControllerConfig#retryMax()}. */
    public Duration retryMax;

    /** A builder holding {@code c}'s values. */
    public Builder(ControllerConfig c) {
      openflowListen = c.openflowListen;
      tls = c.tls;
      bootstrapServers = c.bootstrapServers;
      consumerGroup = c.consumerGroup;
      topics = c.topics;
      topicPartitions = c.topicPartitions;
      replicationFactor = c.replicationFactor;
      serviceCidr = c.serviceCidr;
      cookieRound = c.cookieRound;
      switches = c.switches;
      auditInterval = c.auditInterval;
      auditMode = c.auditMode;
      auditLog = c.auditLog;
      auditLogMaxBytes = c.auditLogMaxBytes;
      auditLogFiles = c.auditLogFiles;
      apiListen = c.apiListen;
      retryMin = c.retryMin;
      retryMax = c.retryMax;
    }

    /** The configuration (validated). */
    public ControllerConfig build() {
      return new ControllerConfig(
          openflowListen,
          tls,
          bootstrapServers,
          consumerGroup,
          topics,
          topicPartitions,
          replicationFactor,
          serviceCidr,
          cookieRound,
          switches,
          auditInterval,
          auditMode,
          auditLog,
          auditLogMaxBytes,
          auditLogFiles,
          apiListen,
          retryMin,
          retryMax);
    }
  }

  /** A builder starting from this configuration. */
  public Builder toBuilder() {
    return new Builder(this);
  }
}
