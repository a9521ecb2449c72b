package dev.sluice.testkit.kafka;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.utils.Time;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node Kafka 4.1 KRaft cluster (one process acting as broker and controller) inside this
 * JVM, listening on 127.0.0.1 only.
 *
 * <p>The storage directory is formatted once ({@code kafka-storage format}, through {@link
 * StorageTool}); {@link #stop()} shuts the server down cleanly and {@link #start()} brings up a new
 * server on the same directory and the same ports, so {@link #bootstrapServers()} stays valid
 * across an outage — what tests of "the broker went away and came back" need. The ports are picked
 * free at construction time.
 *
 * <p>Settings are sized for tests: one partition per internal topic, replication factor 1, no
 * initial rebalance delay, a 2 MiB log-cleaner dedupe buffer (Kafka wants more than 1 MiB per
 * cleaner thread) (the default 128 MiB would be taken from the test JVM's heap as soon as a
 * compacted topic exists).
 *
 * <p>A topic is not writable the moment {@code CreateTopics} returns: see {@link #awaitWritable}.
 */
public final class EmbeddedKafka implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedKafka.class);

  private final Path dir;
  private final boolean deleteOnClose;
  private final int brokerPort;
  private final int controllerPort;
  private final Map<String, String> config;
  private @Nullable KafkaRaftServer server;

  private EmbeddedKafka(
      Path dir, boolean deleteOnClose, Map<String, String> overrides, int brokerPort, int ctlPort) {
    this.dir = dir;
    this.deleteOnClose = deleteOnClose;
    this.brokerPort = brokerPort;
    this.controllerPort = ctlPort;
    this.config = serverConfig(dir.resolve("data"), brokerPort, ctlPort, overrides);
  }

  /** Formats a fresh broker in a new temporary directory (deleted on close) and starts it. */
  public static EmbeddedKafka startNew(Map<String, String> overrides) {
    try {
      Path dir = Files.createTempDirectory("sluice-kafka-");
      return startIn(dir, true, overrides);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Formats a fresh broker with default settings and starts it. */
  public static EmbeddedKafka startNew() {
    return startNew(Map.of());
  }

  /**
   * Formats {@code dir} (unless it already holds a formatted broker, which is then reused with
   * fresh ports) and starts the broker.
   */
  public static EmbeddedKafka startIn(
      Path dir, boolean deleteOnClose, Map<String, String> overrides) {
    return startIn(dir, deleteOnClose, 0, 0, overrides);
  }

  /** Like {@link #startIn(Path, boolean, Map)} with given ports; 0 picks a free one. */
  public static EmbeddedKafka startIn(
      Path dir,
      boolean deleteOnClose,
      int brokerPort,
      int controllerPort,
      Map<String, String> overrides) {
    EmbeddedKafka kafka =
        new EmbeddedKafka(
            dir,
            deleteOnClose,
            overrides,
            brokerPort == 0 ? freePort() : brokerPort,
            controllerPort == 0 ? freePort() : controllerPort);
    kafka.format();
    kafka.start();
    return kafka;
  }

  /** {@code 127.0.0.1:<port>}: what clients put in {@code bootstrap.servers}. */
  public String bootstrapServers() {
    return "127.0.0.1:" + brokerPort;
  }

  /** The directory holding the properties file and the log directory. */
  public Path directory() {
    return dir;
  }

  /** The server properties in effect (the same file {@code kafka.Kafka} would read). */
  public Map<String, String> config() {
    return config;
  }

  /** Whether the server is running. */
  public synchronized boolean isRunning() {
    return server != null;
  }

  /** Starts the server (again) on the formatted directory; returns when it accepts clients. */
  public synchronized void start() {
    if (server != null) {
      return;
    }
    long t0 = System.nanoTime();
    KafkaRaftServer s = new KafkaRaftServer(new KafkaConfig(config, false), Time.SYSTEM);
    s.startup();
    server = s;
    log.info(
        "Kafka KRaft broker up at {} (controller port {}) in {} ms, log dir {}",
        bootstrapServers(),
        controllerPort,
        (System.nanoTime() - t0) / 1_000_000,
        dir);
  }

  /**
   * Waits until every partition of {@code topics} is hosted by its leader, so that the first
   * produce to it is appended rather than refused; a test calls this after creating topics and
   * before an idempotent producer sends to them.
   *
   * <p>Why: {@code CreateTopics} returns once the KRaft controller committed the topic, and the
   * broker then publishes the new metadata to its metadata cache <em>before</em> its replica
   * manager creates the partition's log. In that window a produce is refused with the retriable
   * {@code NOT_LEADER_OR_FOLLOWER}. An idempotent producer with several requests in flight to the
   * partition can then have its first batch (sequence 0) refused and a later one appended: a broker
   * with no state for a producer accepts any first sequence (KAFKA-15591; so does 4.1.1, the
   * version this build uses). Every retry of the first batch is then {@code
   * OUT_OF_ORDER_SEQUENCE_NUMBER}, and the producer retries it until {@code delivery.timeout.ms}
   * expires it ("Expiring 1 record(s) for t-0"). {@code ListOffsets} is answered by the partition
   * leader's replica manager, so once it succeeds for a partition, produces to that partition are
   * appended.
   *
   * @throws IllegalStateException if a partition is not writable within {@code timeout}
   */
  public void awaitWritable(Collection<String> topics, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
      while (true) {
        try {
          Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
          for (TopicDescription d : admin.describeTopics(topics).allTopicNames().get().values()) {
            for (TopicPartitionInfo p : d.partitions()) {
              latest.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest());
            }
          }
          admin.listOffsets(latest).all().get();
          return;
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof RetriableException) || System.nanoTime() > deadline) {
            throw new IllegalStateException(
                "topics " + topics + " not writable within " + timeout, e.getCause());
          }
        }
        Thread.sleep(20);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted waiting for " + topics, e);
    }
  }

  /** Shuts the server down cleanly, keeping its data: {@link #start()} brings it back. */
  public synchronized void stop() {
    KafkaRaftServer s = server;
    if (s == null) {
      return;
    }
    server = null;
    long t0 = System.nanoTime();
    s.shutdown();
    s.awaitShutdown();
    log.info(
        "Kafka broker at {} stopped in {} ms",
        bootstrapServers(),
        (System.nanoTime() - t0) / 1_000_000);
  }

  /** Stops the server and, for temporary directories, deletes its data. */
  @Override
  public void close() {
    stop();
    if (deleteOnClose) {
      deleteRecursively(dir);
    }
  }

  private void format() {
    Path props = dir.resolve("server.properties");
    writeProperties(props, config);
    if (Files.exists(Path.of(config.get("log.dirs"), "meta.properties"))) {
      return; // formatted before: reuse the data
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int rc;
    try (PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8)) {
      rc =
          StorageTool.execute(
              new String[] {
                "format", "--cluster-id", Uuid.randomUuid().toString(), "--config", props.toString()
              },
              ps);
    }
    if (rc != 0) {
      throw new IllegalStateException(
          "kafka-storage format failed (" + rc + "): " + out.toString(StandardCharsets.UTF_8));
    }
  }

  /** The properties of a combined broker + controller on the given ports. */
  static Map<String, String> serverConfig(
      Path logDir, int brokerPort, int controllerPort, Map<String, String> overrides) {
    Map<String, String> c = new TreeMap<>();
    c.put("process.roles", "broker,controller");
    c.put("node.id", "1");
    c.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
    c.put(
        "listeners",
        "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
    c.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
    c.put("controller.listener.names", "CONTROLLER");
    c.put("inter.broker.listener.name", "PLAINTEXT");
    c.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    c.put("log.dirs", logDir.toString());
    c.put("num.partitions", "1");
    c.put("default.replication.factor", "1");
    c.put("auto.create.topics.enable", "false");
    c.put("offsets.topic.replication.factor", "1");
    c.put("offsets.topic.num.partitions", "1");
    c.put("transaction.state.log.replication.factor", "1");
    c.put("transaction.state.log.min.isr", "1");
    c.put("transaction.state.log.num.partitions", "1");
    c.put("share.coordinator.state.topic.replication.factor", "1");
    c.put("share.coordinator.state.topic.min.isr", "1");
    c.put("group.initial.rebalance.delay.ms", "0");
    // The cleaner allocates its dedupe buffer from the heap once a compacted topic exists.
    c.put("log.cleaner.dedupe.buffer.size", String.valueOf(2 << 20));
    c.put("log.cleaner.threads", "1");
    c.put("log.cleaner.backoff.ms", "1000");
    c.put("num.network.threads", "2");
    c.put("num.io.threads", "2");
    c.put("num.recovery.threads.per.data.dir", "1");
    c.put("log.flush.interval.messages", "1");
    c.putAll(overrides);
    return c;
  }

  private static void writeProperties(Path file, Map<String, String> config) {
    Properties p = new Properties();
    p.putAll(config);
    try {
      Files.createDirectories(file.getParent());
      try (OutputStream out = Files.newOutputStream(file)) {
        p.store(out, "Sluice test broker (KRaft, combined broker + controller)");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A port that was free a moment ago on 127.0.0.1. */
  static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteRecursively(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      walk.sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.deleteIfExists(p);
                } catch (IOException e) {
                  log.warn("cannot delete {}: {}", p, e.toString());
                }
              });
    } catch (IOException e) {
      log.warn("cannot delete {}: {}", root, e.toString());
    }
  }
}
