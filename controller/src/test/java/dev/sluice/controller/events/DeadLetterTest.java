package dev.sluice.controller.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class DeadLetterTest {
  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String header(ProducerRecord<byte[], byte[]> r, String name) {
    return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }

  @Test
  void carriesErrorAndOriginalCoordinatesInHeadersAndValue() throws Exception {
    ConsumerRecord<byte[], byte[]> original =
        new ConsumerRecord<>("sluice.pods", 2, 17L, utf8("default/frontend"), utf8("not json{"));
    ProducerRecord<byte[], byte[]> dl =
        DeadLetter.of(
            "sluice.deadletter",
            original,
            DeadLetter.Reason.UNPARSEABLE,
            List.of("malformed JSON: x", "second"));

    assertThat(dl.topic()).isEqualTo("sluice.deadletter");
    assertThat(dl.key()).isEqualTo(original.key());
    assertThat(header(dl, DeadLetter.H_REASON)).isEqualTo("UNPARSEABLE");
    assertThat(header(dl, DeadLetter.H_ERROR)).isEqualTo("malformed JSON: x");
    assertThat(header(dl, DeadLetter.H_TOPIC)).isEqualTo("sluice.pods");
    assertThat(header(dl, DeadLetter.H_PARTITION)).isEqualTo("2");
    assertThat(header(dl, DeadLetter.H_OFFSET)).isEqualTo("17");

    JsonNode v = new ObjectMapper().readTree(dl.value());
    assertThat(v.get("reason").asText()).isEqualTo("UNPARSEABLE");
    assertThat(v.get("error").asText()).isEqualTo("malformed JSON: x");
    assertThat(v.get("errors")).hasSize(2);
    assertThat(v.get("topic").asText()).isEqualTo("sluice.pods");
    assertThat(v.get("partition").asInt()).isEqualTo(2);
    assertThat(v.get("offset").asLong()).isEqualTo(17);
    assertThat(v.get("key").asText()).isEqualTo("default/frontend");
    assertThat(v.get("value").asText()).isEqualTo("not json{");
  }

  @Test
  void binaryValueIsCarriedAsBase64AndTombstoneAsNull() throws Exception {
    byte[] garbage = {(byte) 0xff, (byte) 0xfe, 0, 1};
    ProducerRecord<byte[], byte[]> dl =
        DeadLetter.of(
            "dlq",
            new ConsumerRecord<>("sluice.nodes", 0, 1L, utf8("w1"), garbage),
            DeadLetter.Reason.UNPARSEABLE,
            List.of("value is not UTF-8 text"));
    JsonNode v = new ObjectMapper().readTree(dl.value());
    assertThat(v.has("value")).isFalse();
    assertThat(Base64.getDecoder().decode(v.get("valueBase64").asText())).isEqualTo(garbage);

    ProducerRecord<byte[], byte[]> tomb =
        DeadLetter.of(
            "dlq",
            new ConsumerRecord<>("sluice.pods", 0, 1L, utf8("nonamespace"), null),
            DeadLetter.Reason.BAD_KEY,
            List.of("bad key"));
    JsonNode t = new ObjectMapper().readTree(tomb.value());
    assertThat(t.get("value").isNull()).isTrue();
  }
}
