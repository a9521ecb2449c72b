package dev.sluice.controller.runtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes what the switches realized to the {@code sluice.realization} topic (what {@code sluice
 * apply --wait} waits for) and audit records to the {@code sluice.audit} topic. Fire and forget: a
 * record that cannot be sent is logged at debug and never blocks a reconciler.
 *
 * <p>Records on the realization topic, keyed by node: {@code {node, datapathId, seq, flows,
 * realizedOffsets, time}}; and one per NetworkPolicy generation newly realized on the node, keyed
 * {@code networkpolicy/NS/NAME}: {@code {policy, generation, node, time}}.
 */
final class RealizationPublisher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RealizationPublisher.class);

  private final Producer<String, String> producer;
  private final String realizationTopic;
  private final String auditTopic;
  private final RealizationTracker realization;
  private final ObjectMapper json = new ObjectMapper();

  RealizationPublisher(
      Producer<String, String> producer,
      String realizationTopic,
      String auditTopic,
      RealizationTracker realization) {
    this.producer = producer;
    this.realizationTopic = realizationTopic;
    this.auditTopic = auditTopic;
    this.realization = realization;
  }

  /**
   * Records that {@code node}'s switch holds {@code d} and publishes it (state thread: the tracker
   * is updated in state order).
   *
   * @param datapathId the switch's datapath id, or null when its reconciler is gone
   */
  void realized(String node, @org.jspecify.annotations.Nullable String datapathId, DesiredFlows d) {
    realization.realized(node, d.seq());
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("node", node);
    if (datapathId != null) {
      m.put("datapathId", datapathId);
    }
    m.put("seq", d.seq());
    m.put("flows", d.flows().flows().size());
    m.put("realizedOffsets", realization.realizedOffsets(node));
    m.put("time", Instant.now().toString());
    send(realizationTopic, node, m);
    for (RealizationTracker.PolicyVersion v : realization.newlyRealizedPolicies(node)) {
      Map<String, Object> pm = new LinkedHashMap<>();
      pm.put("policy", v.policy().key());
      pm.put("generation", v.generation());
      pm.put("node", node);
      pm.put("time", m.get("time"));
      send(realizationTopic, "networkpolicy/" + v.policy().key(), pm);
    }
  }

  /** Publishes one audit log line, keyed by node. */
  void audit(String node, String line) {
    try {
      producer.send(
          new ProducerRecord<>(auditTopic, node, line),
          (md, e) -> {
            if (e != null) {
              log.debug("audit record for {} not published: {}", node, e.toString());
            }
          });
    } catch (RuntimeException e) {
      log.debug("audit record for {} not published: {}", node, e.toString());
    }
  }

  private void send(String topic, String key, Map<String, Object> m) {
    try {
      producer.send(
          new ProducerRecord<>(topic, key, json.writeValueAsString(m)),
          (md, e) -> {
            if (e != null) {
              log.debug("realization event {} not published: {}", key, e.toString());
            }
          });
    } catch (RuntimeException | JsonProcessingException e) {
      log.debug("realization event {} not published: {}", key, e.toString());
    }
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(2));
  }
}
