package dev.sluice.controller.events;

import dev.sluice.compiler.cluster.ManifestError;
import dev.sluice.compiler.cluster.ManifestReader;
import dev.sluice.compiler.cluster.ObjectKey;
import dev.sluice.compiler.cluster.ObjectKind;
import dev.sluice.controller.events.DeadLetter.Reason;
import dev.sluice.controller.events.EventSourceConfig.Mode;
import dev.sluice.controller.events.EventSourceConfig.StartFrom;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controller's consumer loop over the object topics, on its own thread.
 *
 * <ul>
 *   <li>Every valid event goes to the {@link ClusterEventSink} with its {@link EventPosition}; the
 *       offset is committed only after that (auto-commit is off), so after a crash the events since
 *       the last commit are delivered again — harmless, applying is idempotent.
 *   <li><b>Startup barrier</b>: at start the end offset of every partition is recorded; {@link
 *       #caughtUp()} completes once the consumer's position has reached all of them. The controller
 *       must not push flows before, or it would delete the flows of pods it has not read yet.
 *   <li>Stale updates ({@code metadata.resourceVersion}/{@code generation} older than the last one
 *       taken for the same key) are dropped and counted.
 *   <li>A record that cannot be taken — no key, a malformed key, a value that is not JSON of the
 *       topic's kind, a key that does not match the object, an object the model rejects — goes to
 *       the dead-letter topic ({@link DeadLetter}) with the error and its original coordinates, is
 *       counted, and consumption goes on.
 *   <li>Failures are sorted ({@code Failures}): timeouts, disconnects and other retriable errors
 *       back off (exponentially, up to {@link EventSourceConfig#maxBackoff()}) and retry from the
 *       first event not yet taken, for as long as the broker is away; authorization, version,
 *       configuration and unexpected errors stop the source, failing {@link #terminated()} and (if
 *       still pending) {@link #caughtUp()} with an {@link EventSourceException}.
 *   <li>{@link #close()} wakes the consumer up, commits what was taken and closes the clients.
 * </ul>
 *
 * <p>Logs one line per event: {@code applied Pod default/frontend (sluice.pods-0@42)}.
 */
public final class EventSource implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EventSource.class);

  private final EventSourceConfig config;
  private final ClusterEventSink sink;
  private final Supplier<Consumer<byte[], byte[]>> consumerFactory;
  private final Supplier<Producer<byte[], byte[]>> producerFactory;
  private final ManifestReader reader = new ManifestReader();
  private final VersionTracker versions = new VersionTracker();
  private final Thread thread;

  private final CompletableFuture<Void> caughtUp = new CompletableFuture<>();
  private final CompletableFuture<Void> terminated = new CompletableFuture<>();
  private final CountDownLatch closing = new CountDownLatch(1);
  private volatile boolean closed;
  private volatile @Nullable Consumer<byte[], byte[]> consumer;

  private final AtomicLong applied = new AtomicLong();
  private final AtomicLong deleted = new AtomicLong();
  private final AtomicLong deadLettered = new AtomicLong();
  private final AtomicLong staleDropped = new AtomicLong();
  private final Map<TopicPartition, Long> lag = new java.util.concurrent.ConcurrentHashMap<>();

  // State of the event-source thread only.
  private @Nullable Producer<byte[], byte[]> deadLetters;
  private final Map<TopicPartition, Long> barrier = new HashMap<>();
  private final Map<TopicPartition, OffsetAndMetadata> uncommitted = new HashMap<>();
  private final Set<TopicPartition> everAssigned = new HashSet<>();
  private boolean assignedOnce;
  private @Nullable RuntimeException rebalanceFailure;

  /** An event source with Kafka clients built from the configuration. Call {@link #start()}. */
  public EventSource(EventSourceConfig config, ClusterEventSink sink) {
    this(
        config,
        sink,
        () -> new KafkaConsumer<>(consumerProperties(config)),
        () -> new KafkaProducer<>(producerProperties(config)));
  }

  /** An event source with given client factories (tests). */
  EventSource(
      EventSourceConfig config,
      ClusterEventSink sink,
      Supplier<Consumer<byte[], byte[]>> consumerFactory,
      Supplier<Producer<byte[], byte[]>> producerFactory) {
    this.config = config;
    this.sink = sink;
    this.consumerFactory = consumerFactory;
    this.producerFactory = producerFactory;
    this.thread = new Thread(this::run, "sluice-event-source");
  }

  /** The consumer properties for a configuration. */
  static Map<String, Object> consumerProperties(EventSourceConfig config) {
    Map<String, Object> p = new HashMap<>();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    p.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, "sluice-event-source");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) config.requestTimeout().toMillis());
    p.put(ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
    // Bytes in, decoded here: a value that is not UTF-8 JSON is dead-lettered, not a poll() error.
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.putAll(config.clientOverrides());
    return p;
  }

  /**
   * The dead-letter producer's properties: idempotent, acks=all, bounded by the request timeout.
   */
  static Map<String, Object> producerProperties(EventSourceConfig config) {
    int timeout = (int) config.requestTimeout().toMillis();
    Map<String, Object> p = new HashMap<>();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "sluice-dead-letters");
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout);
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, timeout);
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, timeout);
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.putAll(config.clientOverrides());
    return p;
  }

  /** Starts the consumer thread. */
  public void start() {
    thread.start();
  }

  /**
   * Completes when every partition has been read up to its end offset at start; fails if the source
   * stops first.
   */
  public CompletableFuture<Void> caughtUp() {
    return caughtUp;
  }

  /**
   * Completes when the source has stopped: normally after {@link #close()}, else with the error.
   */
  public CompletableFuture<Void> terminated() {
    return terminated;
  }

  /** The counters now. */
  public EventSourceStats stats() {
    return new EventSourceStats(
        applied.get(), deleted.get(), deadLettered.get(), staleDropped.get(), Map.copyOf(lag));
  }

  /** Stops the loop (wakeup), commits what was taken, closes the clients, waits for the thread. */
  @Override
  public void close() {
    closed = true;
    closing.countDown();
    Consumer<byte[], byte[]> c = consumer;
    if (c != null) {
      c.wakeup();
    }
    if (thread.isAlive() && thread != Thread.currentThread()) {
      try {
        thread.join(config.requestTimeout().plusSeconds(5).toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (!thread.isAlive()) {
      terminated.complete(null);
    }
  }

  // ---------------------------------------------------------------- the loop

  private void run() {
    try {
      deadLetters = producerFactory.get();
      consumer = consumerFactory.get();
      if (closed) {
        return;
      }
      loop(consumer);
      commitOnClose(consumer);
      caughtUp.completeExceptionally(new CancellationException("event source closed"));
      terminated.complete(null);
      log.info("event source stopped: {}", stats());
    } catch (Throwable t) {
      EventSourceException e =
          t instanceof EventSourceException
              ? (EventSourceException) t
              : new EventSourceException("event source failed: " + t, t);
      log.error("{}", e.getMessage(), e.getCause());
      caughtUp.completeExceptionally(e);
      terminated.completeExceptionally(e);
    } finally {
      closeClients();
    }
  }

  private void loop(Consumer<byte[], byte[]> c) {
    boolean setUp = false;
    Duration backoff = config.minBackoff();
    while (!closed) {
      try {
        if (!setUp) {
          setUp(c);
          setUp = true;
        }
        pollOnce(c);
        backoff = config.minBackoff();
      } catch (WakeupException | InterruptException e) {
        if (e instanceof InterruptException) {
          Thread.currentThread().interrupt();
          return;
        }
        // close() woke us up; the loop condition ends it.
      } catch (RuntimeException e) {
        if (Failures.classify(e) == Failures.FATAL) {
          Throwable cause = Failures.unwrap(e);
          throw new EventSourceException(
              "event source stopped by a fatal error (retrying cannot fix it): " + cause, cause);
        }
        log.warn(
            "recoverable error: {}; retrying in {} ms (taken so far: {})",
            Failures.unwrap(e).toString(),
            backoff.toMillis(),
            applied.get() + deleted.get());
        if (await(backoff)) {
          return;
        }
        Duration doubled = backoff.multipliedBy(2);
        backoff = doubled.compareTo(config.maxBackoff()) > 0 ? config.maxBackoff() : doubled;
      }
    }
  }

  /** Waits, returning early (true) when the source is closed. */
  private boolean await(Duration d) {
    try {
      return closing.await(d.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return true;
    }
  }

  private void setUp(Consumer<byte[], byte[]> c) {
    List<String> topics = config.topics().objectTopics();
    if (config.mode() == Mode.SUBSCRIBE) {
      c.subscribe(topics, new Rebalance(c));
      log.info("subscribed to {} as group {}", topics, config.groupId());
      return;
    }
    List<TopicPartition> partitions = new ArrayList<>();
    for (String topic : topics) {
      List<PartitionInfo> infos = c.partitionsFor(topic, config.requestTimeout());
      if (infos == null || infos.isEmpty()) {
        throw new UnknownTopicOrPartitionException(
            "topic " + topic + " does not exist (yet): create the topics first");
      }
      infos.forEach(i -> partitions.add(new TopicPartition(i.topic(), i.partition())));
    }
    c.assign(partitions);
    if (config.startFrom() == StartFrom.BEGINNING) {
      c.seekToBeginning(partitions);
    }
    recordBarrier(c, partitions);
    assignedOnce = true;
    log.info(
        "assigned {} partitions of {} (from {}, group {})",
        partitions.size(),
        topics,
        config.startFrom(),
        config.groupId());
    checkCaughtUp(c);
  }

  private void recordBarrier(Consumer<byte[], byte[]> c, Collection<TopicPartition> partitions) {
    if (caughtUp.isDone() || partitions.isEmpty()) {
      return;
    }
    Map<TopicPartition, Long> ends = c.endOffsets(partitions, config.requestTimeout());
    barrier.putAll(ends);
    log.info("startup barrier: reading up to end offsets {}", ends);
  }

  private void pollOnce(Consumer<byte[], byte[]> c) {
    ConsumerRecords<byte[], byte[]> records = c.poll(config.pollTimeout());
    RuntimeException failure = rebalanceFailure;
    if (failure != null) {
      rebalanceFailure = null;
      throw failure;
    }
    List<TopicPartition> partitions = new ArrayList<>(records.partitions());
    for (int p = 0; p < partitions.size(); p++) {
      TopicPartition tp = partitions.get(p);
      for (ConsumerRecord<byte[], byte[]> r : records.records(tp)) {
        try {
          take(r);
        } catch (RuntimeException e) {
          // Not taken: rewind this partition to this record and the untouched ones to their
          // first, so the retry starts exactly at the first event not yet taken.
          c.seek(tp, r.offset());
          for (TopicPartition rest : partitions.subList(p + 1, partitions.size())) {
            c.seek(rest, records.records(rest).get(0).offset());
          }
          throw e;
        }
        uncommitted.put(tp, new OffsetAndMetadata(r.offset() + 1));
      }
    }
    commitTaken(c);
    for (TopicPartition tp : c.assignment()) {
      c.currentLag(tp).ifPresent(l -> lag.put(tp, l));
    }
    checkCaughtUp(c);
  }

  private void commitTaken(Consumer<byte[], byte[]> c) {
    if (uncommitted.isEmpty()) {
      return;
    }
    uncommitted.keySet().retainAll(c.assignment());
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>(uncommitted);
    c.commitSync(offsets, config.requestTimeout());
    offsets.forEach(uncommitted::remove);
  }

  private void commitOnClose(Consumer<byte[], byte[]> c) {
    for (int attempt = 0; attempt < 2 && !uncommitted.isEmpty(); attempt++) {
      try {
        commitTaken(c);
      } catch (WakeupException e) {
        // a wakeup left over from close(): try once more
      } catch (RuntimeException e) {
        log.warn("could not commit {} on close: {}", uncommitted, e.toString());
        return;
      }
    }
  }

  private void checkCaughtUp(Consumer<byte[], byte[]> c) {
    if (caughtUp.isDone() || !assignedOnce) {
      return;
    }
    Set<TopicPartition> assigned = c.assignment();
    for (Map.Entry<TopicPartition, Long> e : barrier.entrySet()) {
      if (assigned.contains(e.getKey())
          && c.position(e.getKey(), config.requestTimeout()) < e.getValue()) {
        return;
      }
    }
    log.info(
        "caught up with the end offsets seen at start: {} applied, {} deleted, {} dead-lettered,"
            + " {} stale",
        applied.get(),
        deleted.get(),
        deadLettered.get(),
        staleDropped.get());
    caughtUp.complete(null);
  }

  // ---------------------------------------------------------------- one event

  /** Takes one record: applies it, drops it as stale, or dead-letters it. Throws only for Kafka. */
  private void take(ConsumerRecord<byte[], byte[]> r) {
    EventPosition pos = EventPosition.of(r);
    ObjectKind kind =
        config
            .topics()
            .kindOf(r.topic())
            .orElseThrow(() -> new IllegalStateException("not an object topic: " + r.topic()));
    if (r.key() == null) {
      deadLetter(r, kind, "", Reason.MISSING_KEY, List.of("record has no key"));
      return;
    }
    String keyText = DeadLetter.decodeUtf8(r.key());
    if (keyText == null) {
      deadLetter(r, kind, "?", Reason.BAD_KEY, List.of("key is not UTF-8 text"));
      return;
    }
    ObjectKey key;
    try {
      key = ObjectKey.parse(kind, keyText);
    } catch (IllegalArgumentException e) {
      deadLetter(r, kind, keyText, Reason.BAD_KEY, List.of(e.getMessage()));
      return;
    }
    if (r.value() == null) {
      versions.forget(key);
      List<ManifestError> errors = deliver(key, null, pos);
      if (!rejections(errors).isEmpty()) {
        deadLetter(r, kind, keyText, Reason.REJECTED, rejections(errors));
        return;
      }
      deleted.incrementAndGet();
      log.info("deleted {} ({})", key, pos);
      return;
    }
    String text = DeadLetter.decodeUtf8(r.value());
    if (text == null) {
      deadLetter(r, kind, keyText, Reason.UNPARSEABLE, List.of("value is not UTF-8 text"));
      return;
    }
    ManifestReader.Manifests parsed = reader.parseJson(text, pos.toString());
    if (!parsed.errors().isEmpty() || parsed.objects().size() != 1) {
      List<String> errors = parsed.errors().stream().map(ManifestError::toString).toList();
      deadLetter(
          r,
          kind,
          keyText,
          Reason.UNPARSEABLE,
          errors.isEmpty() ? List.of("expected exactly one object") : errors);
      return;
    }
    HasMetadata object = parsed.objects().get(0).object();
    ObjectKey objectKey = ObjectKey.of(object);
    if (objectKey.kind() != kind) {
      deadLetter(
          r,
          kind,
          keyText,
          Reason.WRONG_KIND,
          List.of(
              "topic "
                  + r.topic()
                  + " carries "
                  + kind.apiKind()
                  + " objects, this is a "
                  + objectKey.kind().apiKind()));
      return;
    }
    if (!objectKey.equals(key)) {
      deadLetter(
          r,
          kind,
          keyText,
          Reason.KEY_MISMATCH,
          List.of("key '" + keyText + "' does not name the object (" + objectKey.key() + ")"));
      return;
    }
    ObjectMeta meta = object.getMetadata();
    Optional<String> stale =
        versions.staleness(key, meta.getResourceVersion(), meta.getGeneration());
    if (stale.isPresent()) {
      staleDropped.incrementAndGet();
      log.info("dropped stale {} ({}): {}", key, pos, stale.get());
      return;
    }
    versions.record(key, meta.getResourceVersion(), meta.getGeneration());
    List<ManifestError> errors = deliver(key, object, pos);
    List<String> rejected = rejections(errors);
    if (!rejected.isEmpty()) {
      deadLetter(r, kind, keyText, Reason.REJECTED, rejected);
      return;
    }
    applied.incrementAndGet();
    log.info("applied {} ({})", key, pos);
    for (ManifestError w : errors) {
      log.warn("{} ({}): {}", key, pos, w);
    }
  }

  /** Hands an event to the sink; a sink that throws is reported as a rejection (and logged). */
  private List<ManifestError> deliver(
      ObjectKey key, @Nullable HasMetadata object, EventPosition pos) {
    try {
      return object == null ? sink.delete(key, pos) : sink.apply(key, object, pos);
    } catch (RuntimeException e) {
      log.error("sink failed on {} ({})", key, pos, e);
      return List.of(
          new ManifestError(
              pos.toString(),
              key.kind().apiKind(),
              key.namespace(),
              key.name(),
              "",
              "internal error while applying: " + e,
              ManifestError.Severity.ERROR));
    }
  }

  private static List<String> rejections(List<ManifestError> errors) {
    return errors.stream()
        .filter(e -> e.severity() == ManifestError.Severity.ERROR)
        .map(ManifestError::toString)
        .toList();
  }

  /** Sends a dead letter and waits for the broker's ack; Kafka failures propagate (retry). */
  private void deadLetter(
      ConsumerRecord<byte[], byte[]> r,
      ObjectKind kind,
      String key,
      Reason reason,
      List<String> errors) {
    Producer<byte[], byte[]> p = deadLetters;
    if (p == null) {
      throw new IllegalStateException("no dead-letter producer");
    }
    try {
      p.send(DeadLetter.of(config.topics().deadLetter(), r, reason, errors))
          .get(config.requestTimeout().plusSeconds(5).toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      throw cause instanceof KafkaException ? (KafkaException) cause : new KafkaException(cause);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new TimeoutException("dead letter not acknowledged in time", e);
    } catch (InterruptedException e) {
      throw new InterruptException(e);
    }
    deadLettered.incrementAndGet();
    log.warn(
        "dead-lettered {} {} ({}): {}: {}",
        kind.apiKind(),
        key,
        EventPosition.of(r),
        reason,
        String.join("; ", errors));
  }

  private void closeClients() {
    Consumer<byte[], byte[]> c = consumer;
    if (c != null) {
      try {
        c.close(CloseOptions.timeout(Duration.ofSeconds(5)));
      } catch (RuntimeException e) {
        log.warn("closing the consumer: {}", e.toString());
      }
    }
    Producer<byte[], byte[]> p = deadLetters;
    if (p != null) {
      try {
        p.close(Duration.ofSeconds(5));
      } catch (RuntimeException e) {
        log.warn("closing the dead-letter producer: {}", e.toString());
      }
    }
  }

  /**
   * Group mode: commits taken offsets of revoked partitions; records barrier targets for newly
   * assigned ones. Failures are kept and rethrown after {@code poll()}, where the loop sorts them.
   */
  private final class Rebalance implements ConsumerRebalanceListener {
    private final Consumer<byte[], byte[]> c;

    Rebalance(Consumer<byte[], byte[]> c) {
      this.c = c;
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      try {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition tp : partitions) {
          OffsetAndMetadata o = uncommitted.remove(tp);
          if (o != null) {
            offsets.put(tp, o);
          }
          lag.remove(tp);
        }
        if (!offsets.isEmpty()) {
          c.commitSync(offsets, config.requestTimeout());
        }
        log.info("partitions revoked: {}", partitions);
      } catch (RuntimeException e) {
        rebalanceFailure = e;
      }
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      try {
        List<TopicPartition> fresh = new ArrayList<>();
        for (TopicPartition tp : partitions) {
          if (everAssigned.add(tp)) {
            fresh.add(tp);
          }
        }
        if (config.startFrom() == StartFrom.BEGINNING && !fresh.isEmpty()) {
          c.seekToBeginning(fresh);
        }
        recordBarrier(c, fresh);
        assignedOnce = true;
        log.info("partitions assigned: {}", partitions);
      } catch (RuntimeException e) {
        rebalanceFailure = e;
      }
    }
  }
}
