package dev.sluice.controller.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.compiler.cluster.ObjectKey;
import dev.sluice.compiler.cluster.ObjectKind;
import dev.sluice.controller.events.EventPosition;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** {@link RealizationPublisher} against kafka-clients' {@link MockProducer}: no broker. */
class RealizationPublisherTest {
  private static final String REALIZATION = "t.realization";
  private static final String AUDIT = "t.audit";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final RealizationTracker tracker = new RealizationTracker();

  private static MockProducer<String, String> producer(boolean autoComplete) {
    return new MockProducer<>(autoComplete, null, new StringSerializer(), new StringSerializer());
  }

  private static JsonNode value(ProducerRecord<String, String> r) throws Exception {
    return JSON.readTree(r.value());
  }

  @Test
  void aRealizedSnapshotIsOneRecordKeyedByNodeWithSeqFlowsAndRealizedOffsets() throws Exception {
    MockProducer<String, String> mock = producer(true);
    tracker.consumed(
        new EventPosition("t.pods", 0, 7),
        3,
        Set.of("n1"),
        new ObjectKey(ObjectKind.POD, "default", "p0"));
    DesiredFlows d = RuntimeFixtures.desired("n1", 2, 3);
    try (RealizationPublisher p = new RealizationPublisher(mock, REALIZATION, AUDIT, tracker)) {
      p.realized("n1", "0000000000000001", d);
    }

    assertThat(mock.history()).hasSize(1);
    ProducerRecord<String, String> r = mock.history().get(0);
    assertThat(r.topic()).isEqualTo(REALIZATION);
    assertThat(r.key()).isEqualTo("n1");
    JsonNode v = value(r);
    assertThat(v.fieldNames())
        .toIterable()
        .containsExactly("node", "datapathId", "seq", "flows", "realizedOffsets", "time");
    assertThat(v.get("node").asText()).isEqualTo("n1");
    assertThat(v.get("datapathId").asText()).isEqualTo("0000000000000001");
    assertThat(v.get("seq").asLong()).isEqualTo(3);
    assertThat(v.get("flows").asInt()).isEqualTo(d.flows().flows().size()).isPositive();
    // The tracker was told first, so the record already carries the offset this seq realized.
    assertThat(v.get("realizedOffsets").get("t.pods-0").asLong()).isEqualTo(7);
    assertThat(java.time.Instant.parse(v.get("time").asText())).isNotNull();
    assertThat(mock.closed()).as("close closes the producer").isTrue();
  }

  @Test
  void aNodeWhoseReconcilerIsGoneIsPublishedWithoutDatapathId() throws Exception {
    MockProducer<String, String> mock = producer(true);
    RealizationPublisher p = new RealizationPublisher(mock, REALIZATION, AUDIT, tracker);
    p.realized("n1", null, RuntimeFixtures.desired("n1", List.of(), List.of(), 1));

    JsonNode v = value(mock.history().get(0));
    assertThat(v.has("datapathId")).isFalse();
    assertThat(v.get("flows").asInt()).isZero();
  }

  @Test
  void eachPolicyGenerationNewlyRealizedOnANodeGetsOneRecordOfItsOwn() throws Exception {
    MockProducer<String, String> mock = producer(true);
    RealizationPublisher p = new RealizationPublisher(mock, REALIZATION, AUDIT, tracker);
    tracker.consumed(
        new EventPosition("t.pols", 0, 0),
        1,
        Set.of("n1"),
        new ObjectKey(ObjectKind.NETWORK_POLICY, "a", "p"));
    tracker.policy(new ObjectKey(ObjectKind.NETWORK_POLICY, "a", "p"), 4L, 1);

    p.realized("n1", "01", RuntimeFixtures.desired("n1", List.of(), List.of(), 1));
    assertThat(mock.history())
        .extracting(ProducerRecord::key)
        .containsExactly("n1", "networkpolicy/a/p");
    ProducerRecord<String, String> policy = mock.history().get(1);
    assertThat(policy.topic()).isEqualTo(REALIZATION);
    JsonNode v = value(policy);
    assertThat(v.fieldNames()).toIterable().containsExactly("policy", "generation", "node", "time");
    assertThat(v.get("policy").asText()).isEqualTo("a/p");
    assertThat(v.get("generation").asLong()).isEqualTo(4);
    assertThat(v.get("node").asText()).isEqualTo("n1");
    assertThat(v.get("time").asText()).isEqualTo(value(mock.history().get(0)).get("time").asText());

    // The same generation realized again (a later snapshot): only the node record.
    mock.clear();
    p.realized("n1", "01", RuntimeFixtures.desired("n1", List.of(), List.of(), 2));
    assertThat(mock.history()).extracting(ProducerRecord::key).containsExactly("n1");
  }

  @Test
  void auditLinesGoToTheAuditTopicKeyedByNodeAsGiven() {
    MockProducer<String, String> mock = producer(true);
    RealizationPublisher p = new RealizationPublisher(mock, REALIZATION, AUDIT, tracker);
    p.audit("n2", "{\"event\":\"audit\"}");

    assertThat(mock.history())
        .containsExactly(new ProducerRecord<>(AUDIT, "n2", "{\"event\":\"audit\"}"));
  }

  @Test
  void aSendThatFailsLaterIsDroppedAndTheTrackerStillAdvances() {
    MockProducer<String, String> mock = producer(false);
    RealizationPublisher p = new RealizationPublisher(mock, REALIZATION, AUDIT, tracker);
    tracker.consumed(
        new EventPosition("t.pods", 0, 9),
        5,
        Set.of("n1"),
        new ObjectKey(ObjectKind.POD, "default", "p0"));

    p.realized("n1", "01", RuntimeFixtures.desired("n1", List.of(), List.of(), 5));
    p.audit("n1", "line");
    // The callbacks only log: failing the sends reaches no caller.
    assertThat(mock.errorNext(new KafkaException("broker gone"))).isTrue();
    assertThat(mock.errorNext(new KafkaException("broker gone"))).isTrue();
    assertThat(tracker.realizedOffsets("n1")).containsEntry("t.pods-0", 9L);
  }

  @Test
  void aSendThatThrowsAtOnceIsDroppedAndDoesNotReachTheCaller() {
    MockProducer<String, String> mock = producer(true);
    mock.sendException = new KafkaException("producer closed");
    RealizationPublisher p = new RealizationPublisher(mock, REALIZATION, AUDIT, tracker);
    tracker.consumed(
        new EventPosition("t.pods", 0, 2),
        1,
        Set.of("n1"),
        new ObjectKey(ObjectKind.POD, "default", "p0"));

    assertThatCode(
            () -> p.realized("n1", "01", RuntimeFixtures.desired("n1", List.of(), List.of(), 1)))
        .doesNotThrowAnyException();
    assertThatCode(() -> p.audit("n1", "line")).doesNotThrowAnyException();
    assertThat(tracker.realizedOffsets("n1")).containsEntry("t.pods-0", 2L);
    assertThat(mock.history()).isEmpty();
  }
}
