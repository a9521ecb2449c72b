package dev.sluice.testkit.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class EmbeddedKafkaIT {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @Test
  void recordsSurviveStopAndStartOnTheSameLogDir() throws Exception {
    try (EmbeddedKafka kafka = EmbeddedKafka.startNew()) {
      String bootstrap = kafka.bootstrapServers();
      assertThat(bootstrap).startsWith("127.0.0.1:");
      try (Admin admin = admin(kafka)) {
        admin
            .createTopics(
                List.of(
                    new NewTopic("t", 1, (short) 1).configs(Map.of("cleanup.policy", "compact"))))
            .all()
            .get(30, TimeUnit.SECONDS);
      }
      kafka.awaitWritable(List.of("t"), WAIT);
      produce(bootstrap, "a");
      kafka.stop();
      assertThat(kafka.isRunning()).isFalse();
      kafka.start();
      produce(bootstrap, "b");

      Properties c = new Properties();
      c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
      c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
      c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
      try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(c)) {
        TopicPartition tp = new TopicPartition("t", 0);
        consumer.assign(List.of(tp));
        consumer.seekToBeginning(List.of(tp));
        StringBuilder seen = new StringBuilder();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (seen.length() < 2 && System.nanoTime() < deadline) {
          for (ConsumerRecord<String, String> r : consumer.poll(java.time.Duration.ofMillis(200))) {
            seen.append(r.value());
          }
        }
        assertThat(seen.toString()).isEqualTo("ab");
      }
    }
  }

  /**
   * A restart keeps the producer state (the broker snapshots it on a clean shutdown and reloads it)
   * and the producer-id blocks (in the KRaft metadata log, on the same directory): an idempotent
   * producer from before the restart goes on with its id and next sequence, and a new producer gets
   * an id of its own.
   */
  @Test
  void anIdempotentProducerFromBeforeARestartGoesOnWithItsIdAndSequence() throws Exception {
    try (EmbeddedKafka kafka = EmbeddedKafka.startNew();
        Admin admin = admin(kafka)) {
      admin.createTopics(List.of(new NewTopic("r", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
      kafka.awaitWritable(List.of("r"), WAIT);
      TopicPartition tp = new TopicPartition("r", 0);
      try (KafkaProducer<String, String> before = idempotentProducer(kafka)) {
        for (int i = 0; i < 3; i++) {
          before.send(new ProducerRecord<>("r", "k", "before-" + i)).get(30, TimeUnit.SECONDS);
        }
        ProducerState first = onlyProducer(admin, tp);
        assertThat(first.lastSequence()).isEqualTo(2);

        kafka.stop();
        kafka.start();
        kafka.awaitWritable(List.of("r"), WAIT);

        assertThat(onlyProducer(admin, tp)).isEqualTo(first);
        for (int i = 0; i < 2; i++) {
          before.send(new ProducerRecord<>("r", "k", "after-" + i)).get(30, TimeUnit.SECONDS);
        }
        ProducerState continued = onlyProducer(admin, tp);
        assertThat(continued.producerId()).isEqualTo(first.producerId());
        assertThat(continued.lastSequence()).isEqualTo(4);

        try (KafkaProducer<String, String> fresh = idempotentProducer(kafka)) {
          fresh.send(new ProducerRecord<>("r", "k", "fresh")).get(30, TimeUnit.SECONDS);
        }
        assertThat(admin.describeProducers(List.of(tp)).partitionResult(tp).get().activeProducers())
            .extracting(ProducerState::producerId)
            .doesNotHaveDuplicates()
            .hasSize(2);
      }
    }
  }

  /**
   * The race {@link EmbeddedKafka#awaitWritable} closes: an idempotent producer that already has
   * its producer id sends pipelined batches to the partitions of a topic just created. Without the
   * wait, a first batch refused with NOT_LEADER_OR_FOLLOWER while a later one is appended is
   * retried as OUT_OF_ORDER_SEQUENCE_NUMBER until it expires (this test failed every time without
   * it).
   */
  @Test
  void pipelinedBatchesToANewTopicAreAllAppendedInOrderOnceItIsWritable() throws Exception {
    int partitions = 16;
    int rounds = 10;
    try (EmbeddedKafka kafka = EmbeddedKafka.startNew();
        Admin admin = admin(kafka);
        KafkaProducer<String, String> producer = idempotentProducer(kafka)) {
      admin
          .createTopics(List.of(new NewTopic("warm", 1, (short) 1)))
          .all()
          .get(30, TimeUnit.SECONDS);
      kafka.awaitWritable(List.of("warm"), WAIT);
      producer.send(new ProducerRecord<>("warm", "k", "v")).get(30, TimeUnit.SECONDS);

      admin
          .createTopics(List.of(new NewTopic("fresh", partitions, (short) 1)))
          .all()
          .get(30, TimeUnit.SECONDS);
      kafka.awaitWritable(List.of("fresh"), WAIT);
      Map<Integer, List<Future<RecordMetadata>>> sent = new TreeMap<>();
      for (int r = 0; r < rounds; r++) {
        for (int p = 0; p < partitions; p++) {
          sent.computeIfAbsent(p, k -> new ArrayList<>())
              .add(producer.send(new ProducerRecord<>("fresh", p, "k", "v" + r)));
        }
        Thread.sleep(0, 500_000); // lets the sender drain: one batch per partition per round
      }
      Map<Integer, List<Long>> offsets = new HashMap<>();
      for (Map.Entry<Integer, List<Future<RecordMetadata>>> e : sent.entrySet()) {
        for (Future<RecordMetadata> f : e.getValue()) {
          offsets
              .computeIfAbsent(e.getKey(), k -> new ArrayList<>())
              .add(f.get(30, TimeUnit.SECONDS).offset());
        }
      }
      for (List<Long> o : offsets.values()) {
        assertThat(o).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
      }
    }
  }

  private static Admin admin(EmbeddedKafka kafka) {
    return Admin.create(
        Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
  }

  private static ProducerState onlyProducer(Admin admin, TopicPartition tp) throws Exception {
    List<ProducerState> active =
        admin
            .describeProducers(List.of(tp))
            .partitionResult(tp)
            .get(30, TimeUnit.SECONDS)
            .activeProducers();
    assertThat(active).hasSize(1);
    return active.get(0);
  }

  /** Idempotent (the default) with a short delivery timeout, so a stuck batch fails the test. */
  private static KafkaProducer<String, String> idempotentProducer(EmbeddedKafka kafka) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 4_000);
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 5_000);
    return new KafkaProducer<>(p);
  }

  private static void produce(String bootstrap, String value) throws Exception {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
      producer.send(new ProducerRecord<>("t", "k-" + value, value)).get(30, TimeUnit.SECONDS);
    }
  }
}
