package dev.sluice.controller.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.compiler.cluster.ManifestReader;
import dev.sluice.compiler.cluster.ObjectKey;
import dev.sluice.compiler.cluster.ObjectKind;
import dev.sluice.controller.events.EventSourceConfig.StartFrom;
import dev.sluice.testkit.kafka.EmbeddedKafka;
import dev.sluice.testkit.packetwalk.PacketWalk;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/** The event source against a real KRaft broker: one broker for the class, own topics per test. */
class EventSourceIT {
  private static final Path PACKET_WALK = PacketWalk.manifests();
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final ManifestReader READER = new ManifestReader();
  private static EmbeddedKafka kafka;
  private static final AtomicInteger SEQ = new AtomicInteger();

  private TopicNames topics;
  private final List<AutoCloseable> closeables = new ArrayList<>();

  @BeforeAll
  static void startBroker() {
    kafka = EmbeddedKafka.startNew();
  }

  @AfterAll
  static void stopBroker() {
    kafka.close();
  }

  private void createTopics(TestInfo info, int partitions) {
    topics = TopicNames.withPrefix("t" + SEQ.incrementAndGet() + ".");
    try (Admin admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
      new TopicAdmin(admin, WAIT).ensureTopics(topics, partitions, (short) 1);
    }
  }

  private EventSourceConfig config(StartFrom from) {
    return EventSourceConfig.defaults(kafka.bootstrapServers())
        .withTopics(topics)
        .withGroupId("g-" + topics.pods())
        .withStartFrom(from)
        .withTimings(
            Duration.ofMillis(200),
            Duration.ofMillis(100),
            Duration.ofSeconds(1),
            Duration.ofSeconds(5));
  }

  private EventSource start(RecordingSink sink, StartFrom from) {
    EventSource source = new EventSource(config(from), sink);
    source.start();
    return source;
  }

  private Publisher publisher() {
    Publisher p = new Publisher(kafka.bootstrapServers(), topics, Duration.ofSeconds(60), Map.of());
    closeables.add(p);
    return p;
  }

  private static List<HasMetadata> packetWalk() {
    ManifestReader.Manifests m = READER.read(PACKET_WALK);
    assertThat(m.errors()).isEmpty();
    return m.items();
  }

  private static HasMetadata yaml(String text) {
    ManifestReader.Manifests m = READER.readString(text, "test");
    assertThat(m.errors()).isEmpty();
    return m.items().get(0);
  }

  private static HasMetadata pod(String name, int ip, String resourceVersion) {
    return yaml(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: "
            + name
            + "\n  namespace: default\n"
            + (resourceVersion == null ? "" : "  resourceVersion: \"" + resourceVersion + "\"\n")
            + "  labels: {app: load}\nspec:\n  nodeName: worker1\n  containers: [{name: c, image: x}]\n"
            + "status:\n  phase: Running\n  podIP: 10.222.1."
            + ip
            + "\n");
  }

  @org.junit.jupiter.api.AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : closeables) {
      c.close();
    }
  }

  @Test
  void packetWalkReachesTheSinkAndCaughtUpCompletesAfterExactlyThePreexistingRecords(TestInfo info)
      throws Exception {
    createTopics(info, 2);
    List<HasMetadata> objects = packetWalk();
    List<Publisher.Published> published = publisher().applyAll(objects);
    assertThat(published).hasSize(15);

    RecordingSink sink = new RecordingSink();
    EventSource source = new EventSource(config(StartFrom.BEGINNING), sink);
    closeables.add(source);
    AtomicInteger atBarrier = new AtomicInteger(-1);
    // Runs on the event thread; wait for it, not for caughtUp (get() may return before it ran).
    CompletableFuture<Void> seen = source.caughtUp().thenRun(() -> atBarrier.set(sink.count()));
    long t0 = System.nanoTime();
    source.start();
    seen.get(WAIT.toSeconds(), TimeUnit.SECONDS);

    assertThat(atBarrier.get()).isEqualTo(15);
    assertThat(sink.taken())
        .extracting(RecordingSink.Taken::position)
        .containsExactlyInAnyOrderElementsOf(
            published.stream().map(Publisher.Published::position).toList());
    assertThat(sink.state().pods()).hasSize(6);
    assertThat(sink.state().networkPolicies()).hasSize(2);
    assertThat(sink.state().nodes()).hasSize(3);
    assertThat(source.stats().applied()).isEqualTo(15);
    System.out.printf("caught up with 15 events in %d ms%n", (System.nanoTime() - t0) / 1_000_000);

    publisher().apply(pod("late", 77, null));
    sink.await(16, WAIT);
    assertThat(sink.state().pod("default", "late")).isPresent();
  }

  @Test
  void emptyTopicsAreCaughtUpAtOnce(TestInfo info) throws Exception {
    createTopics(info, 1);
    RecordingSink sink = new RecordingSink();
    EventSource source = start(sink, StartFrom.BEGINNING);
    closeables.add(source);
    source.caughtUp().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(sink.count()).isZero();
  }

  @Test
  void garbageAndInvalidObjectsAreDeadLetteredAndTheRestApplied(TestInfo info) throws Exception {
    createTopics(info, 1);
    Publisher publisher = publisher();
    publisher.apply(pod("good1", 11, null));
    EventPosition garbage =
        publisher
            .publishRaw(
                new ObjectKey(ObjectKind.POD, "default", "garbage"),
                "this is not JSON{".getBytes(StandardCharsets.UTF_8))
            .position();
    HasMetadata badNode =
        yaml(
            "apiVersion: v1\nkind: Node\nmetadata: {name: broken}\nspec: {podCIDR: 10.222.9.0/33}\n");
    EventPosition invalid = publisher.apply(badNode).position();
    EventPosition mismatch =
        publisher
            .publishRaw(
                new ObjectKey(ObjectKind.POD, "default", "other"),
                READER.toJson(pod("good9", 19, null)).getBytes(StandardCharsets.UTF_8))
            .position();
    publisher.apply(pod("good2", 12, null));

    RecordingSink sink = new RecordingSink();
    EventSource source = start(sink, StartFrom.BEGINNING);
    closeables.add(source);
    source.caughtUp().get(WAIT.toSeconds(), TimeUnit.SECONDS);

    assertThat(sink.state().pod("default", "good1")).isPresent();
    assertThat(sink.state().pod("default", "good2")).isPresent();
    assertThat(sink.state().node("broken")).isEmpty();
    assertThat(source.stats().deadLettered()).isEqualTo(3);
    assertThat(source.stats().applied()).isEqualTo(2);

    List<ConsumerRecord<byte[], byte[]>> letters = readAll(topics.deadLetter(), 3);
    // Topics are consumed in no mutual order: find each letter by its reason.
    ObjectMapper json = new ObjectMapper();
    Map<String, JsonNode> byReason = new java.util.HashMap<>();
    Map<String, ConsumerRecord<byte[], byte[]>> recordByReason = new java.util.HashMap<>();
    for (ConsumerRecord<byte[], byte[]> r : letters) {
      JsonNode v = json.readTree(r.value());
      byReason.put(v.get("reason").asText(), v);
      recordByReason.put(v.get("reason").asText(), r);
    }
    assertThat(byReason).containsOnlyKeys("UNPARSEABLE", "REJECTED", "KEY_MISMATCH");
    JsonNode first = byReason.get("UNPARSEABLE");
    assertThat(first.get("reason").asText()).isEqualTo("UNPARSEABLE");
    assertThat(first.get("error").asText()).contains("malformed JSON");
    assertThat(first.get("topic").asText()).isEqualTo(garbage.topic());
    assertThat(first.get("partition").asInt()).isEqualTo(garbage.partition());
    assertThat(first.get("offset").asLong()).isEqualTo(garbage.offset());
    assertThat(first.get("key").asText()).isEqualTo("default/garbage");
    assertThat(first.get("value").asText()).isEqualTo("this is not JSON{");
    assertThat(
            new String(
                recordByReason.get("UNPARSEABLE").headers().lastHeader(DeadLetter.H_OFFSET).value(),
                StandardCharsets.UTF_8))
        .isEqualTo(Long.toString(garbage.offset()));

    JsonNode second = byReason.get("REJECTED");
    assertThat(second.get("reason").asText()).isEqualTo("REJECTED");
    assertThat(second.get("error").asText()).contains("broken").contains("podCIDR");
    assertThat(second.get("topic").asText()).isEqualTo(invalid.topic());
    assertThat(second.get("offset").asLong()).isEqualTo(invalid.offset());

    JsonNode third = byReason.get("KEY_MISMATCH");
    assertThat(third.get("reason").asText()).isEqualTo("KEY_MISMATCH");
    assertThat(third.get("offset").asLong()).isEqualTo(mismatch.offset());
  }

  @Test
  void staleResourceVersionIsDropped(TestInfo info) throws Exception {
    createTopics(info, 1);
    Publisher publisher = publisher();
    publisher.apply(pod("web", 21, "100"));
    publisher.apply(pod("web", 22, "99")); // reordered, older
    publisher.apply(pod("web", 23, "1000")); // numeric compare: newer

    RecordingSink sink = new RecordingSink();
    EventSource source = start(sink, StartFrom.BEGINNING);
    closeables.add(source);
    source.caughtUp().get(WAIT.toSeconds(), TimeUnit.SECONDS);

    assertThat(source.stats().staleDropped()).isEqualTo(1);
    assertThat(source.stats().applied()).isEqualTo(2);
    assertThat(sink.state().pod("default", "web").orElseThrow().ip().toString())
        .isEqualTo("10.222.1.23");
  }

  @Test
  void tombstoneDeletesTheObject(TestInfo info) throws Exception {
    createTopics(info, 1);
    Publisher publisher = publisher();
    RecordingSink sink = new RecordingSink();
    EventSource source = start(sink, StartFrom.BEGINNING);
    closeables.add(source);
    source.caughtUp().get(WAIT.toSeconds(), TimeUnit.SECONDS);

    publisher.apply(pod("doomed", 31, null));
    sink.await(1, WAIT);
    assertThat(sink.state().pod("default", "doomed")).isPresent();
    Publisher.Published tomb = publisher.delete(new ObjectKey(ObjectKind.POD, "default", "doomed"));
    assertThat(tomb.describe()).isEqualTo("pod/default/doomed deleted");
    List<RecordingSink.Taken> taken = sink.await(2, WAIT);
    assertThat(taken.get(1).op()).isEqualTo("delete");
    assertThat(taken.get(1).position()).isEqualTo(tomb.position());
    assertThat(sink.state().pod("default", "doomed")).isEmpty();
    long deadline = System.nanoTime() + WAIT.toNanos(); // counted just after the sink took it
    while (source.stats().deleted() < 1 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(source.stats().deleted()).isEqualTo(1);
  }

  @Test
  void restartResumesFromCommittedOffsetsAndSurvivesABrokerOutage(TestInfo info) throws Exception {
    createTopics(info, 2);
    Publisher publisher = publisher();
    List<Publisher.Published> before = publisher.applyAll(packetWalk());

    // First run: read everything, then stop (commits on the way).
    RecordingSink first = new RecordingSink();
    try (EventSource source = start(first, StartFrom.COMMITTED)) {
      source.caughtUp().get(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertThat(first.count()).isEqualTo(before.size());
    }

    // Published while no controller runs.
    List<Publisher.Published> whileDown = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      whileDown.add(publisher.apply(pod("gap" + i, 40 + i, null)));
    }

    // Second run, same group: resumes at the committed offsets — nothing is taken twice.
    RecordingSink second = new RecordingSink();
    EventSource source = start(second, StartFrom.COMMITTED);
    closeables.add(source);
    source.caughtUp().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(second.taken())
        .extracting(RecordingSink.Taken::position)
        .containsExactlyInAnyOrderElementsOf(
            whileDown.stream().map(Publisher.Published::position).toList());

    // Broker outage of ~10 s while events are being published.
    kafka.stop();
    CompletableFuture<List<Publisher.Published>> during =
        CompletableFuture.supplyAsync(
            () -> {
              List<HasMetadata> pods = new ArrayList<>();
              for (int i = 0; i < 20; i++) {
                pods.add(pod("outage" + i, 100 + i, null));
              }
              return publisher.applyAll(pods);
            });
    Thread.sleep(10_000);
    assertThat(during).isNotDone();
    AtomicLong restartedAt = new AtomicLong(System.nanoTime());
    kafka.start();
    List<Publisher.Published> published = during.get(WAIT.toSeconds(), TimeUnit.SECONDS);

    List<RecordingSink.Taken> taken = second.await(whileDown.size() + 20, WAIT);
    System.out.printf(
        "consumption resumed; %d events taken %d ms after the broker restarted%n",
        taken.size(), (System.nanoTime() - restartedAt.get()) / 1_000_000);
    List<EventPosition> positions = taken.stream().map(RecordingSink.Taken::position).toList();
    assertThat(new HashSet<>(positions)).hasSameSizeAs(positions); // nothing taken twice
    assertThat(positions)
        .containsAll(published.stream().map(Publisher.Published::position).toList());
    for (int i = 0; i < 20; i++) {
      assertThat(second.state().pod("default", "outage" + i)).isPresent();
    }
    assertThat(source.terminated()).isNotDone();
  }

  private List<ConsumerRecord<byte[], byte[]>> readAll(String topic, int expected) {
    Map<String, Object> p =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
            ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName(),
            ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p)) {
      TopicPartition tp = new TopicPartition(topic, 0);
      c.assign(List.of(tp));
      c.seekToBeginning(List.of(tp));
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (out.size() < expected && System.nanoTime() < deadline) {
        c.poll(Duration.ofMillis(200)).forEach(out::add);
      }
    }
    assertThat(out).hasSize(expected);
    return out;
  }

  @SuppressWarnings("unused")
  private void sendRaw(String topic, byte[] key, byte[] value) throws Exception {
    Map<String, Object> p =
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName(),
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
      producer.send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS);
    }
  }
}
