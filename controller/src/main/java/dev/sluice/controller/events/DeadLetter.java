package dev.sluice.controller.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.jspecify.annotations.Nullable;

/**
 * The dead-letter record for an event the controller could not take: the original key (as record
 * key, so a dead letter can be matched to its object) and a JSON value carrying the error and the
 * original record.
 *
 * <p>Value, one JSON object:
 *
 * <pre>{@code
 * {"reason":"UNPARSEABLE","error":"malformed JSON: …","errors":["…"],
 *  "topic":"sluice.pods","partition":0,"offset":17,"timestamp":1732600000000,
 *  "key":"default/frontend","value":"<original value as text>"}
 * }</pre>
 *
 * A key or value that is not UTF-8 text is carried as {@code keyBase64}/{@code valueBase64}
 * instead; a tombstone has {@code "value":null}. Headers (UTF-8 strings, in the manner of Kafka
 * Connect's {@code __connect.errors.*}): {@value #H_REASON}, {@value #H_ERROR}, {@value #H_TOPIC},
 * {@value #H_PARTITION}, {@value #H_OFFSET}.
 */
public final class DeadLetter {
  /** Header: the {@link Reason}. */
  public static final String H_REASON = "sluice.dlq.reason";

  /** Header: the first error message. */
  public static final String H_ERROR = "sluice.dlq.error";

  /** Header: the original topic. */
  public static final String H_TOPIC = "sluice.dlq.original.topic";

  /** Header: the original partition (decimal). */
  public static final String H_PARTITION = "sluice.dlq.original.partition";

  /** Header: the original offset (decimal). */
  public static final String H_OFFSET = "sluice.dlq.original.offset";

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Why an event was dead-lettered. */
  public enum Reason {
    /** The record has no key. */
    MISSING_KEY,
    /** The key is not {@code namespace/name} (namespaced kinds) or {@code name}. */
    BAD_KEY,
    /** The value is not UTF-8 JSON of a Kubernetes object the model reads. */
    UNPARSEABLE,
    /** The object is of another kind than the topic carries. */
    WRONG_KIND,
    /** The object's namespace/name differ from the record key. */
    KEY_MISMATCH,
    /** The cluster model rejected the object (invalid field, conflict, …). */
    REJECTED,
    /** The sink threw while applying the object (a bug; the event is kept here). */
    SINK_FAILURE
  }

  private DeadLetter() {}

  /**
   * Builds the dead-letter record for a consumed record.
   *
   * @param errors what was wrong, most important first; not empty
   */
  public static ProducerRecord<byte[], byte[]> of(
      String deadLetterTopic,
      ConsumerRecord<byte[], byte[]> original,
      Reason reason,
      List<String> errors) {
    if (errors.isEmpty()) {
      throw new IllegalArgumentException("a dead letter needs an error");
    }
    ObjectNode v = JSON.createObjectNode();
    v.put("reason", reason.name());
    v.put("error", errors.get(0));
    errors.forEach(v.putArray("errors")::add);
    v.put("topic", original.topic());
    v.put("partition", original.partition());
    v.put("offset", original.offset());
    v.put("timestamp", original.timestamp());
    putBytes(v, "key", original.key());
    putBytes(v, "value", original.value());
    byte[] value;
    try {
      value = JSON.writeValueAsBytes(v);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write dead letter", e);
    }
    RecordHeaders headers = new RecordHeaders();
    headers.add(H_REASON, utf8(reason.name()));
    headers.add(H_ERROR, utf8(errors.get(0)));
    headers.add(H_TOPIC, utf8(original.topic()));
    headers.add(H_PARTITION, utf8(Integer.toString(original.partition())));
    headers.add(H_OFFSET, utf8(Long.toString(original.offset())));
    return new ProducerRecord<>(deadLetterTopic, null, original.key(), value, headers);
  }

  private static void putBytes(ObjectNode node, String field, byte @Nullable [] bytes) {
    if (bytes == null) {
      node.putNull(field);
      return;
    }
    String text = decodeUtf8(bytes);
    if (text != null) {
      node.put(field, text);
    } else {
      node.put(field + "Base64", Base64.getEncoder().encodeToString(bytes));
    }
  }

  /** Strict UTF-8 decoding: null if the bytes are not valid UTF-8. */
  static @Nullable String decodeUtf8(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
