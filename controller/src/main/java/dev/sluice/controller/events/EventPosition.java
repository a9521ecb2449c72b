package dev.sluice.controller.events;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Where an event sits in the stream: realization tracking reports "applied up to here" per
 * partition, and {@code sluice apply --wait} waits for the positions it published.
 *
 * @param topic the topic
 * @param partition the partition, ≥ 0
 * @param offset the record's offset, ≥ 0
 */
public record EventPosition(String topic, int partition, long offset) {
  /** Checks the components. */
  public EventPosition {
    if (topic.isEmpty()) {
      throw new IllegalArgumentException("topic is empty");
    }
    if (partition < 0 || offset < 0) {
      throw new IllegalArgumentException(
          "negative partition or offset: " + partition + "@" + offset);
    }
  }

  /** The position of a consumed record. */
  public static EventPosition of(ConsumerRecord<?, ?> record) {
    return new EventPosition(record.topic(), record.partition(), record.offset());
  }

  /** The position a producer was given for a record it sent. */
  public static EventPosition of(RecordMetadata metadata) {
    return new EventPosition(metadata.topic(), metadata.partition(), metadata.offset());
  }

  /** {@code topic-partition@offset}, as Kafka's tools print it. */
  @Override
  public String toString() {
    return topic + "-" + partition + "@" + offset;
  }
}
