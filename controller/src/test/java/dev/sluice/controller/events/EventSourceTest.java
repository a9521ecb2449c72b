package dev.sluice.controller.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.compiler.cluster.ManifestError;
import dev.sluice.compiler.cluster.ObjectKey;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/** The loop's bookkeeping against Kafka's mock clients; the real broker is in the ITs. */
class EventSourceTest {
  private final TopicNames topics = TopicNames.defaults();
  private final MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
  private final MockProducer<byte[], byte[]> producer =
      new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
  private final List<String> taken = new ArrayList<>();
  private final ClusterEventSink sink =
      new ClusterEventSink() {
        @Override
        public List<ManifestError> apply(ObjectKey key, HasMetadata object, EventPosition pos) {
          taken.add("apply " + key + " " + pos);
          return List.of();
        }

        @Override
        public List<ManifestError> delete(ObjectKey key, EventPosition pos) {
          taken.add("delete " + key + " " + pos);
          return List.of();
        }
      };

  private TopicPartition setUpTopics(long podsEnd) {
    Map<TopicPartition, Long> begin = new HashMap<>();
    Map<TopicPartition, Long> end = new HashMap<>();
    Node node = new Node(1, "127.0.0.1", 9092);
    for (String t : topics.objectTopics()) {
      consumer.updatePartitions(
          t, List.of(new PartitionInfo(t, 0, node, new Node[] {node}, new Node[] {node})));
      begin.put(new TopicPartition(t, 0), 0L);
      end.put(new TopicPartition(t, 0), t.equals(topics.pods()) ? podsEnd : 0L);
    }
    consumer.updateBeginningOffsets(begin);
    consumer.updateEndOffsets(end);
    return new TopicPartition(topics.pods(), 0);
  }

  private EventSource source() {
    return new EventSource(
        EventSourceConfig.defaults("mock:9092"), sink, () -> consumer, () -> producer);
  }

  private static ConsumerRecord<byte[], byte[]> record(long offset, String key, String value) {
    return new ConsumerRecord<>(
        "sluice.pods",
        0,
        offset,
        key.getBytes(StandardCharsets.UTF_8),
        value == null ? null : value.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void commitsAfterApplyingAndDeadLettersGarbage() throws Exception {
    TopicPartition pods = setUpTopics(3);
    consumer.schedulePollTask(
        () -> {
          consumer.addRecord(
              record(
                  0,
                  "default/frontend",
                  "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"frontend\","
                      + "\"namespace\":\"default\"}}"));
          consumer.addRecord(record(1, "default/frontend", "not json{"));
          consumer.addRecord(record(2, "default/frontend", null));
        });
    try (EventSource source = source()) {
      source.start();
      source.caughtUp().get(10, TimeUnit.SECONDS);
      assertThat(taken)
          .containsExactly(
              "apply Pod default/frontend sluice.pods-0@0",
              "delete Pod default/frontend sluice.pods-0@2");
      assertThat(producer.history()).hasSize(1);
      assertThat(producer.history().get(0).topic()).isEqualTo("sluice.deadletter");
      assertThat(consumer.committed(Set.of(pods)).get(pods).offset()).isEqualTo(3);
      assertThat(source.stats().applied()).isEqualTo(1);
      assertThat(source.stats().deleted()).isEqualTo(1);
      assertThat(source.stats().deadLettered()).isEqualTo(1);
    }
  }

  @Test
  void authorizationFailureStopsWithAClearError() {
    setUpTopics(1);
    consumer.setPollException(new TopicAuthorizationException(Set.of("sluice.pods")));
    EventSource source = source();
    source.start();
    assertThatThrownBy(() -> source.terminated().get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOf(EventSourceException.class)
        .hasMessageContaining("fatal")
        .hasMessageContaining("TopicAuthorizationException");
    assertThat(source.caughtUp()).isCompletedExceptionally();
    source.close();
  }
}
