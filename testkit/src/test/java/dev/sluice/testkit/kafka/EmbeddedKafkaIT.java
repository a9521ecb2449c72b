package dev.sluice.testkit.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class EmbeddedKafkaIT {

  @Test
  void recordsSurviveStopAndStartOnTheSameLogDir() throws Exception {
    try (EmbeddedKafka kafka = EmbeddedKafka.startNew()) {
      String bootstrap = kafka.bootstrapServers();
      assertThat(bootstrap).startsWith("127.0.0.1:");
      try (Admin admin =
          Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
        admin
            .createTopics(
                List.of(
                    new NewTopic("t", 1, (short) 1).configs(Map.of("cleanup.policy", "compact"))))
            .all()
            .get(30, TimeUnit.SECONDS);
      }
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
