package dev.sluice.controller.runtime;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.module.SimpleModule;
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
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Everything {@code sluice controller} needs, from a YAML file ({@code --config}, see {@code
 * deploy/controller.example.yaml}, which documents every field) with command-line flags on top.
 *
 * <p>The file is bound by Jackson into one record per section, shaped like the file: {@code
 * openflow}, {@code kafka}, {@code cluster}, {@code switches}, {@code audit}, {@code api}, {@code
 * retry}. Each section's {@code @JsonCreator} fills in the default of every key the file leaves
 * out; its compact constructor validates, with messages naming the key. Unknown keys are errors
 * naming the key path and the file (so a typo never silently falls back to a default), as are
 * values of the wrong type. Durations go through {@link Durations#parse}, the parser the flags use
 * too. {@link Builder} is the flat, mutable view the command-line flags and tests write to.
 *
 * <h2>Matching a switch to its Node</h2>
 *
 * A connecting switch is identified by its OpenFlow datapath id. It belongs to the Node whose
 * annotation {@code sluice.dev/datapath-id} equals that id; failing that, to the node the {@link
 * #switches()} map names for the id. A switch that matches no node is logged and left alone (its
 * flows are never touched); it is matched as soon as a Node with its id arrives.
 *
 * @param openflow where switches connect, and TLS
 * @param kafka the brokers, the consumer group and the topics
 * @param cluster settings of the compiled flows
 * @param switches datapath id → node name, for nodes without the annotation
 * @param audit the periodic audit and the audit log
 * @param api the HTTP API
 * @param retry the backoff after a failed round
 */
public record ControllerConfig(
    OpenFlowSection openflow,
    KafkaSection kafka,
    ClusterSection cluster,
    Map<Long, String> switches,
    AuditSection audit,
    ApiSection api,
    RetrySection retry) {

  /** The audit log's default size limit: 10 MiB. */
  public static final long DEFAULT_AUDIT_LOG_MAX_BYTES = 10L * 1024 * 1024;

  /** What the periodic audit does with drift. */
  public enum AuditMode {
    /** Report drift (log, audit log, metrics, API) and leave the switch alone. */
    REPORT,
    /** Report drift and send the fix as one bundle. */
    REPAIR;

    /** {@code report} or {@code repair}. */
    @JsonCreator
    public static AuditMode parse(String s) {
      for (AuditMode m : values()) {
        if (m.name().equalsIgnoreCase(s.strip())) {
          return m;
        }
      }
      throw new IllegalArgumentException("audit mode '" + s + "': expected report or repair");
    }
  }

  /**
   * {@code openflow}: where switches connect.
   *
   * @param listen {@code tcp:HOST:PORT}, {@code HOST:PORT} or {@code unix:PATH}
   * @param tls TLS for the OpenFlow listener, if any
   */
  public record OpenFlowSection(String listen, Optional<TlsConfig> tls) {
    /** Checks the address. */
    public OpenFlowSection {
      try {
        ListenAddress.parse(normalizeListen(listen));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("openflow.listen: " + e.getMessage(), e);
      }
    }

    static OpenFlowSection defaults() {
      return new OpenFlowSection("tcp:127.0.0.1:6653", Optional.empty());
    }

    @JsonCreator
    static OpenFlowSection fromFile(
        @JsonProperty("listen") @Nullable String listen,
        @JsonProperty("tls") @Nullable TlsSection tls) {
      OpenFlowSection d = defaults();
      return new OpenFlowSection(
          listen != null ? listen : d.listen(), tls == null ? d.tls() : Optional.of(tls.config()));
    }

    /** The listen address. */
    public ListenAddress address() {
      return ListenAddress.parse(normalizeListen(listen));
    }
  }

  /**
   * {@code openflow.tls}, as the file has it.
   *
   * @param certificate the controller's certificate (PEM)
   * @param privateKey its private key (PEM)
   * @param switchCa the CA switches' certificates must be signed by (none: any switch)
   */
  record TlsSection(
      @JsonProperty("certificate") @Nullable String certificate,
      @JsonProperty("privateKey") @Nullable String privateKey,
      @JsonProperty("switchCa") @Nullable String switchCa) {
    TlsSection {
      if (certificate == null) {
        throw new IllegalArgumentException("openflow.tls.certificate is required");
      }
      if (privateKey == null) {
        throw new IllegalArgumentException("openflow.tls.privateKey is required");
      }
    }

    @SuppressWarnings("NullAway") // checked in the constructor
    TlsConfig config() {
      return new TlsConfig(
          Path.of(certificate), Path.of(privateKey), Optional.ofNullable(switchCa).map(Path::of));
    }
  }

  /**
   * {@code kafka}: brokers, consumer group, topics.
   *
   * @param bootstrapServers Kafka bootstrap servers
   * @param consumerGroup the consumer group the controller commits offsets under
   * @param topics topic names (object topics, dead letters, realization, audit); the file gives a
   *     {@code topicPrefix} and any subset of names
   * @param partitions partitions of topics the controller creates
   * @param replicationFactor replicas of topics the controller creates
   */
  public record KafkaSection(
      String bootstrapServers,
      String consumerGroup,
      TopicNames topics,
      int partitions,
      short replicationFactor) {
    /** Checks the counts. */
    public KafkaSection {
      if (bootstrapServers.isBlank()) {
        throw new IllegalArgumentException("kafka.bootstrapServers is empty");
      }
      if (consumerGroup.isBlank()) {
        throw new IllegalArgumentException("kafka.consumerGroup is empty");
      }
      if (partitions < 1) {
        throw new IllegalArgumentException("kafka.partitions must be >= 1, not " + partitions);
      }
      if (replicationFactor < 1) {
        throw new IllegalArgumentException(
            "kafka.replicationFactor must be >= 1, not " + replicationFactor);
      }
    }

    static KafkaSection defaults() {
      return new KafkaSection(
          "127.0.0.1:9092", EventSourceConfig.DEFAULT_GROUP, TopicNames.defaults(), 1, (short) 1);
    }

    @JsonCreator
    static KafkaSection fromFile(
        @JsonProperty("bootstrapServers") @Nullable String bootstrapServers,
        @JsonProperty("consumerGroup") @Nullable String consumerGroup,
        @JsonProperty("topicPrefix") @Nullable String topicPrefix,
        @JsonProperty("topics") @Nullable TopicsSection topics,
        @JsonProperty("partitions") @Nullable Integer partitions,
        @JsonProperty("replicationFactor") @Nullable Short replicationFactor) {
      KafkaSection d = defaults();
      TopicNames names = topicPrefix == null ? d.topics() : TopicNames.withPrefix(topicPrefix);
      if (topics != null) {
        names = topics.over(names);
      }
      return new KafkaSection(
          bootstrapServers != null ? bootstrapServers : d.bootstrapServers(),
          consumerGroup != null ? consumerGroup : d.consumerGroup(),
          names,
          partitions != null ? partitions : d.partitions(),
          replicationFactor != null ? replicationFactor : d.replicationFactor());
    }
  }

  /** {@code kafka.topics}: names that override the prefix's, any subset. */
  record TopicsSection(
      @JsonProperty("nodes") @Nullable String nodes,
      @JsonProperty("namespaces") @Nullable String namespaces,
      @JsonProperty("pods") @Nullable String pods,
      @JsonProperty("services") @Nullable String services,
      @JsonProperty("endpoints") @Nullable String endpoints,
      @JsonProperty("endpointSlices") @Nullable String endpointSlices,
      @JsonProperty("networkPolicies") @Nullable String networkPolicies,
      @JsonProperty("deadLetter") @Nullable String deadLetter,
      @JsonProperty("realization") @Nullable String realization,
      @JsonProperty("audit") @Nullable String audit) {
    TopicNames over(TopicNames b) {
      return new TopicNames(
          or(nodes, b.nodes()),
          or(namespaces, b.namespaces()),
          or(pods, b.pods()),
          or(services, b.services()),
          or(endpoints, b.endpoints()),
          or(endpointSlices, b.endpointSlices()),
          or(networkPolicies, b.networkPolicies()),
          or(deadLetter, b.deadLetter()),
          or(realization, b.realization()),
          or(audit, b.audit()));
    }

    private static String or(@Nullable String v, String dflt) {
      return v != null ? v : dflt;
    }
  }

  /**
   * {@code cluster}: settings of the compiled flows.
   *
   * @param serviceCidr the Service CIDR (kube-proxy mode: sent to the gateway in table 40)
   * @param cookieRound the cookie round of every flow (fixed, so a restarted controller recognizes
   *     its flows and sends nothing to an up-to-date switch)
   */
  public record ClusterSection(Ipv4Cidr serviceCidr, int cookieRound) {
    /** Checks the round. */
    public ClusterSection {
      if (cookieRound < 0 || cookieRound > 0xffff) {
        throw new IllegalArgumentException(
            "cluster.cookieRound " + cookieRound + " is not 0..65535");
      }
    }

    static ClusterSection defaults() {
      return new ClusterSection(Marks.DEFAULT_SERVICE_CIDR, 1);
    }

    @JsonCreator
    static ClusterSection fromFile(
        @JsonProperty("serviceCidr") @Nullable String serviceCidr,
        @JsonProperty("cookieRound") @Nullable Integer cookieRound) {
      ClusterSection d = defaults();
      Ipv4Cidr cidr;
      try {
        cidr = serviceCidr == null ? d.serviceCidr() : Ipv4Cidr.parse(serviceCidr);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("cluster.serviceCidr: " + e.getMessage(), e);
      }
      return new ClusterSection(cidr, cookieRound != null ? cookieRound : d.cookieRound());
    }
  }

  /**
   * {@code audit}: the periodic audit and the audit log.
   *
   * @param interval how often the auditor compares switches with the desired state (zero: never,
   *     only on demand)
   * @param mode whether the periodic audit only reports drift or also repairs it
   * @param log the audit log file (JSON lines; rotated); by default in the XDG state directory, see
   *     {@link #defaultAuditLog}
   * @param logMaxBytes the audit log rotates when it would grow beyond this size (the file gives
   *     {@code logMaxMegabytes})
   * @param logFiles rotated audit log files kept ({@code audit.log.1} ... {@code .K})
   */
  public record AuditSection(
      Duration interval, AuditMode mode, Path log, long logMaxBytes, int logFiles) {
    /** Checks the interval and the rotation. */
    public AuditSection {
      if (interval.isNegative()) {
        throw new IllegalArgumentException("audit.interval must not be negative: " + interval);
      }
      if (logMaxBytes < 1024) {
        throw new IllegalArgumentException(
            "audit.logMaxMegabytes: the log must rotate at >= 1 KiB, not "
                + logMaxBytes
                + " bytes");
      }
      if (logFiles < 1) {
        throw new IllegalArgumentException(
            "audit.logFiles: at least one rotated file must be kept, not " + logFiles);
      }
    }

    static AuditSection defaults() {
      return new AuditSection(
          Duration.ofSeconds(10),
          AuditMode.REPORT,
          defaultAuditLog(System.getenv(), System.getProperty("user.home")),
          DEFAULT_AUDIT_LOG_MAX_BYTES,
          5);
    }

    @JsonCreator
    static AuditSection fromFile(
        @JsonProperty("interval") @Nullable Duration interval,
        @JsonProperty("mode") @Nullable AuditMode mode,
        @JsonProperty("log") @Nullable String log,
        @JsonProperty("logMaxMegabytes") @Nullable Double logMaxMegabytes,
        @JsonProperty("logFiles") @Nullable Integer logFiles) {
      AuditSection d = defaults();
      return new AuditSection(
          interval != null ? interval : d.interval(),
          mode != null ? mode : d.mode(),
          log != null ? Path.of(log) : d.log(),
          logMaxMegabytes != null ? Math.round(logMaxMegabytes * 1024 * 1024) : d.logMaxBytes(),
          logFiles != null ? logFiles : d.logFiles());
    }
  }

  /**
   * {@code api}: the HTTP API.
   *
   * @param listen {@code HOST:PORT} (port 0: any free port)
   */
  public record ApiSection(String listen) {
    /** Checks the address. */
    public ApiSection {
      parseHostPort(listen, "api.listen");
    }

    static ApiSection defaults() {
      return new ApiSection("127.0.0.1:8181");
    }

    @JsonCreator
    static ApiSection fromFile(@JsonProperty("listen") @Nullable String listen) {
      return listen == null ? defaults() : new ApiSection(listen);
    }
  }

  /**
   * {@code retry}: the backoff after a failed round.
   *
   * @param min first wait after a failed round (doubles up to {@code max})
   * @param max longest wait between retries of a failed round
   */
  public record RetrySection(Duration min, Duration max) {
    /** Checks that min is not negative and max not shorter. */
    public RetrySection {
      if (min.isNegative()) {
        throw new IllegalArgumentException("retry.min must not be negative: " + min);
      }
      if (max.compareTo(min) < 0) {
        throw new IllegalArgumentException(
            "retry.max (" + max + ") must not be shorter than retry.min (" + min + ")");
      }
    }

    static RetrySection defaults() {
      return new RetrySection(Duration.ofMillis(500), Duration.ofSeconds(30));
    }

    @JsonCreator
    static RetrySection fromFile(
        @JsonProperty("min") @Nullable Duration min, @JsonProperty("max") @Nullable Duration max) {
      RetrySection d = defaults();
      return new RetrySection(min != null ? min : d.min(), max != null ? max : d.max());
    }
  }

  /** Copies the map. */
  public ControllerConfig {
    switches = Map.copyOf(switches);
  }

  @JsonCreator
  static ControllerConfig fromFile(
      @JsonProperty("openflow") @Nullable OpenFlowSection openflow,
      @JsonProperty("kafka") @Nullable KafkaSection kafka,
      @JsonProperty("cluster") @Nullable ClusterSection cluster,
      @JsonProperty("switches") @Nullable Map<String, String> switches,
      @JsonProperty("audit") @Nullable AuditSection audit,
      @JsonProperty("api") @Nullable ApiSection api,
      @JsonProperty("retry") @Nullable RetrySection retry) {
    Map<Long, String> byId = new TreeMap<>();
    if (switches != null) {
      switches.forEach(
          (dpid, node) -> {
            try {
              byId.put(parseDatapathId(dpid), node);
            } catch (IllegalArgumentException e) {
              throw new IllegalArgumentException("switches: " + e.getMessage(), e);
            }
          });
    }
    return new ControllerConfig(
        openflow != null ? openflow : OpenFlowSection.defaults(),
        kafka != null ? kafka : KafkaSection.defaults(),
        cluster != null ? cluster : ClusterSection.defaults(),
        byId,
        audit != null ? audit : AuditSection.defaults(),
        api != null ? api : ApiSection.defaults(),
        retry != null ? retry : RetrySection.defaults());
  }

  /** Defaults: OpenFlow on 127.0.0.1:6653, Kafka on 127.0.0.1:9092, API on 127.0.0.1:8181. */
  public static ControllerConfig defaults() {
    return new ControllerConfig(
        OpenFlowSection.defaults(),
        KafkaSection.defaults(),
        ClusterSection.defaults(),
        Map.of(),
        AuditSection.defaults(),
        ApiSection.defaults(),
        RetrySection.defaults());
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

  // ---------------------------------------------------------------- the file

  private static final ObjectMapper YAML =
      YAMLMapper.builder()
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .addModule(
              new SimpleModule("sluice-durations")
                  .addDeserializer(Duration.class, new Durations.Deserializer()))
          .build();

  /**
   * Reads a YAML (or JSON) file over {@link #defaults()}: a key the file leaves out keeps its
   * default. An unknown key, a value of the wrong type or an invalid value is an {@link
   * IllegalArgumentException} naming the file and the key path ({@code kafka.partitions}).
   */
  public static ControllerConfig load(Path file) throws IOException {
    JsonNode root = YAML.readTree(file.toFile());
    if (root == null || root.isNull() || root.isMissingNode()) {
      return defaults();
    }
    try {
      return fromTree(root);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  /** Binds a parsed configuration tree; failures are messages naming the key path. */
  static ControllerConfig fromTree(JsonNode root) {
    if (!root.isObject()) {
      throw new IllegalArgumentException("the file: expected a map of settings");
    }
    try {
      return YAML.treeToValue(root, ControllerConfig.class);
    } catch (JsonMappingException e) {
      throw new IllegalArgumentException(describe(e), e);
    } catch (IOException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  /** One line for a binding failure: the key path, then what is wrong. */
  private static String describe(JsonMappingException e) {
    String path =
        e.getPath().stream()
            .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
            .collect(Collectors.joining("."));
    Throwable cause = e.getCause();
    if (e instanceof UnrecognizedPropertyException u) {
      return "unknown setting '" + path + "' (known: " + known(u.getKnownPropertyIds()) + ")";
    }
    if (cause instanceof IllegalArgumentException
        && (e instanceof ValueInstantiationException || e instanceof InvalidFormatException)) {
      // A compact constructor's or a parser's message, which names the key (or the value).
      String m = String.valueOf(cause.getMessage());
      return path.isEmpty() || m.startsWith(path) ? m : path + ": " + m;
    }
    if (e instanceof InvalidFormatException f) {
      return path + ": expected " + expected(f.getTargetType()) + ", got '" + f.getValue() + "'";
    }
    if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
      return path + ": expected " + expected(m.getTargetType());
    }
    return (path.isEmpty() ? "" : path + ": ") + e.getOriginalMessage();
  }

  private static String known(@Nullable Collection<Object> ids) {
    return ids == null
        ? "[]"
        : new TreeSet<>(ids.stream().map(String::valueOf).toList()).toString();
  }

  private static String expected(Class<?> type) {
    if (type == Integer.class
        || type == int.class
        || type == Short.class
        || type == short.class
        || type == Long.class
        || type == long.class) {
      return "an integer";
    }
    if (type == Double.class || type == double.class) {
      return "a number";
    }
    if (type == String.class) {
      return "a string";
    }
    if (type == Duration.class) {
      return "a duration (500ms, 30s, 5m, 1h, PT30S)";
    }
    if (Map.class.isAssignableFrom(type)) {
      return "a map of datapath id → node name";
    }
    return "a map of settings";
  }

  // ---------------------------------------------------------------- flags

  /** A mutable, flat copy, for command-line overrides and tests. */
  public static final class Builder {
    /** See {@link OpenFlowSection#listen()}. */
    public String openflowListen;

    /** See {@link OpenFlowSection#tls()}. */
    public Optional<TlsConfig> tls;

    /** See {@link KafkaSection#bootstrapServers()}. */
    public String bootstrapServers;

    /** See {@link KafkaSection#consumerGroup()}. */
    public String consumerGroup;

    /** See {@link KafkaSection#topics()}. */
    public TopicNames topics;

    /** See {@link KafkaSection#partitions()}. */
    public int topicPartitions;

    /** See {@link KafkaSection#replicationFactor()}. */
    public short replicationFactor;

    /** See {@link ClusterSection#serviceCidr()}. */
    public Ipv4Cidr serviceCidr;

    /** See {@link ClusterSection#cookieRound()}. */
    public int cookieRound;

    /** See {@link ControllerConfig#switches()}. */
    public Map<Long, String> switches;

    /** See {@link AuditSection#interval()}. */
    public Duration auditInterval;

    /** See {@link AuditSection#mode()}. */
    public AuditMode auditMode;

    /** See {@link AuditSection#log()}. */
    public Path auditLog;

    /** See {@link AuditSection#logMaxBytes()}. */
    public long auditLogMaxBytes;

    /** See {@link AuditSection#logFiles()}. */
    public int auditLogFiles;

    /** See {@link ApiSection#listen()}. */
    public String apiListen;

    /** See {@link RetrySection#min()}. */
    public Duration retryMin;

    /** See {@link RetrySection#max()}. */
    public Duration retryMax;

    /** A builder holding {@code c}'s values. */
    public Builder(ControllerConfig c) {
      openflowListen = c.openflow.listen();
      tls = c.openflow.tls();
      bootstrapServers = c.kafka.bootstrapServers();
      consumerGroup = c.kafka.consumerGroup();
      topics = c.kafka.topics();
      topicPartitions = c.kafka.partitions();
      replicationFactor = c.kafka.replicationFactor();
      serviceCidr = c.cluster.serviceCidr();
      cookieRound = c.cluster.cookieRound();
      switches = c.switches;
      auditInterval = c.audit.interval();
      auditMode = c.audit.mode();
      auditLog = c.audit.log();
      auditLogMaxBytes = c.audit.logMaxBytes();
      auditLogFiles = c.audit.logFiles();
      apiListen = c.api.listen();
      retryMin = c.retry.min();
      retryMax = c.retry.max();
    }

    /** The configuration (validated by the sections). */
    public ControllerConfig build() {
      return new ControllerConfig(
          new OpenFlowSection(openflowListen, tls),
          new KafkaSection(
              bootstrapServers, consumerGroup, topics, topicPartitions, replicationFactor),
          new ClusterSection(serviceCidr, cookieRound),
          switches,
          new AuditSection(auditInterval, auditMode, auditLog, auditLogMaxBytes, auditLogFiles),
          new ApiSection(apiListen),
          new RetrySection(retryMin, retryMax));
    }
  }

  /** A builder starting from this configuration. */
  public Builder toBuilder() {
    return new Builder(this);
  }
}
