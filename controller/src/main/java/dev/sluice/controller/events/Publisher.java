package dev.sluice.controller.events;

import dev.sluice.compiler.cluster.ManifestReader;
import dev.sluice.compiler.cluster.ObjectKey;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jspecify.annotations.Nullable;

/**
 * Publishes cluster objects as events, the way a user pushes an update ({@code sluice apply}, like
 * {@code kubectl apply}): to the kind's topic, keyed {@code namespace/name} or {@code name}, valued
 * with the object's JSON; a delete is a tombstone. The producer is idempotent with {@code
 * acks=all}, so a retried send never duplicates an event and an acknowledged one is on every
 * in-sync replica. Each call returns where the events landed ({@link Published#position()}), what
 * realization tracking waits for.
 */
public final class Publisher implements AutoCloseable {
  private final Producer<String, byte[]> producer;
  private final TopicNames topics;
  private final Duration timeout;
  private final ManifestReader reader = new ManifestReader();

  /**
   * One published event.
   *
   * @param key the object
   * @param tombstone whether it was a delete
   * @param position where the event landed
   */
  public record Published(ObjectKey key, boolean tombstone, EventPosition position) {
    /**
     * The line {@code sluice apply}/{@code delete} prints: {@code
     * networkpolicy.networking.k8s.io/default/frontendpolicy published} (or {@code deleted}).
     */
    public String describe() {
      return key.resourceRef() + (tombstone ? " deleted" : " published");
    }
  }

  /**
   * A publisher with its own producer.
   *
   * @param timeout how long a call may wait for the brokers (metadata, delivery)
   * @param overrides extra producer properties (security settings, …)
   */
  public Publisher(
      String bootstrapServers, TopicNames topics, Duration timeout, Map<String, String> overrides) {
    this(
        new KafkaProducer<>(producerProperties(bootstrapServers, timeout, overrides)),
        topics,
        timeout);
  }

  /** A publisher over a given producer (tests). */
  Publisher(Producer<String, byte[]> producer, TopicNames topics, Duration timeout) {
    this.producer = producer;
    this.topics = topics;
    this.timeout = timeout;
  }

  static Map<String, Object> producerProperties(
      String bootstrapServers, Duration timeout, Map<String, String> overrides) {
    int requestTimeout = (int) Math.min(30_000, Math.max(1_000, timeout.toMillis()));
    int linger = 5;
    Map<String, Object> p = new HashMap<>();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "sluice-publisher");
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.LINGER_MS_CONFIG, linger);
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout.toMillis());
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, requestTimeout);
    p.put(
        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
        (int) Math.max(timeout.toMillis(), requestTimeout + linger));
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.putAll(overrides);
    return p;
  }

  /** Publishes the current version of one object and waits for the acknowledgement. */
  public Published apply(HasMetadata object) {
    return applyAll(List.of(object)).get(0);
  }

  /** Publishes a tombstone for one object and waits for the acknowledgement. */
  public Published delete(ObjectKey key) {
    return deleteAll(List.of(key)).get(0);
  }

  /**
   * Publishes objects in order (per key, order is kept end to end) and waits for all
   * acknowledgements.
   *
   * @throws KafkaException if an event was not acknowledged within the timeout or was refused
   */
  public List<Published> applyAll(List<? extends HasMetadata> objects) {
    List<ObjectKey> keys = new ArrayList<>();
    List<byte[]> values = new ArrayList<>();
    for (HasMetadata o : objects) {
      keys.add(ObjectKey.of(o));
      values.add(reader.toJson(o).getBytes(StandardCharsets.UTF_8));
    }
    return send(keys, values);
  }

  /** Publishes tombstones and waits for all acknowledgements. */
  public List<Published> deleteAll(List<ObjectKey> keys) {
    List<byte[]> none = new ArrayList<>();
    keys.forEach(k -> none.add(null));
    return send(keys, none);
  }

  /** Sends a raw record value for a key (tests: garbage, or JSON that does not match the key). */
  public Published publishRaw(ObjectKey key, byte @Nullable [] value) {
    List<byte[]> values = new ArrayList<>();
    values.add(value);
    return send(List.of(key), values).get(0);
  }

  private List<Published> send(List<ObjectKey> keys, List<byte @Nullable []> values) {
    List<Future<RecordMetadata>> futures = new ArrayList<>();
    for (int i = 0; i < keys.size(); i++) {
      ObjectKey k = keys.get(i);
      futures.add(
          producer.send(new ProducerRecord<>(topics.topicFor(k.kind()), k.key(), values.get(i))));
    }
    producer.flush();
    List<Published> out = new ArrayList<>();
    for (int i = 0; i < keys.size(); i++) {
      out.add(
          new Published(
              keys.get(i), values.get(i) == null, EventPosition.of(await(futures.get(i)))));
    }
    return out;
  }

  private RecordMetadata await(Future<RecordMetadata> f) {
    try {
      return f.get(timeout.toMillis() + 5_000, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      throw cause instanceof KafkaException ? (KafkaException) cause : new KafkaException(cause);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new TimeoutException("not acknowledged within " + timeout, e);
    } catch (InterruptedException e) {
      throw new InterruptException(e);
    }
  }

  /** Closes the producer, waiting for what is in flight. */
  @Override
  public void close() {
    producer.close(timeout);
  }
}
