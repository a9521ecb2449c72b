package dev.sluice.controller.events;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates Sluice's topics when they are missing: the object topics compacted ({@code
 * cleanup.policy=compact}: the latest value per key is kept forever, so a new controller rebuilds
 * the state by reading from the beginning), the dead-letter, realization and audit topics with time
 * retention ({@code cleanup.policy=delete}). Existing topics are left exactly as they are; their
 * partition count and cleanup policy are logged, with a warning when an object topic is not
 * compacted.
 *
 * <p>A created topic is returned only once it is writable. {@code CreateTopics} answers before the
 * partitions' leaders host them; an idempotent producer's first batch sent in that window is
 * refused (NOT_LEADER_OR_FOLLOWER, retriable) while a later batch of the same producer is appended,
 * and every retry of the first then fails with OUT_OF_ORDER_SEQUENCE_NUMBER until the record
 * expires (Kafka issue KAFKA-15591, still in the 4.1 broker). Only a partition's leader answers
 * ListOffsets, so {@link #ensureTopics} waits for that answer on every new partition.
 */
public final class TopicAdmin {
  private static final Logger log = LoggerFactory.getLogger(TopicAdmin.class);

  private final Admin admin;
  private final Duration timeout;

  /** What {@link #ensureTopics} did with a topic. */
  public enum Outcome {
    /** The topic was created. */
    CREATED,
    /** The topic existed and was left alone. */
    EXISTED
  }

  /**
   * @param admin an admin client (not closed here)
   * @param timeout bound for each admin call
   */
  public TopicAdmin(Admin admin, Duration timeout) {
    this.admin = admin;
    this.timeout = timeout;
  }

  /**
   * Creates the missing topics.
   *
   * @param partitions partitions of each new topic (per-key order holds with any number)
   * @param replicationFactor replicas of each new topic (1 for a single-broker lab)
   * @return what happened to each topic, object topics first; the created ones are writable
   * @throws KafkaException if the broker refuses (authorization, bad settings) or does not answer,
   *     or a created topic's partitions have no leader within the timeout
   */
  public Map<String, Outcome> ensureTopics(
      TopicNames names, int partitions, short replicationFactor) {
    Set<String> existing = get(admin.listTopics().names());
    Map<String, Outcome> outcome = new LinkedHashMap<>();
    List<NewTopic> create = new ArrayList<>();
    for (String t : names.objectTopics()) {
      plan(t, true, partitions, replicationFactor, existing, outcome, create);
    }
    for (String t : names.controllerTopics()) {
      plan(t, false, partitions, replicationFactor, existing, outcome, create);
    }
    if (!create.isEmpty()) {
      Map<String, KafkaFuture<Void>> results = admin.createTopics(create).values();
      for (NewTopic nt : create) {
        try {
          get(results.get(nt.name()));
          outcome.put(nt.name(), Outcome.CREATED);
          log.info(
              "created topic {} ({} partitions, replication {}, {})",
              nt.name(),
              partitions,
              replicationFactor,
              nt.configs());
        } catch (TopicExistsException e) {
          outcome.put(nt.name(), Outcome.EXISTED); // created concurrently by someone else
        }
      }
    }
    List<String> created =
        outcome.entrySet().stream()
            .filter(e -> e.getValue() == Outcome.CREATED)
            .map(Map.Entry::getKey)
            .toList();
    if (!created.isEmpty()) {
      awaitLeaders(created);
    }
    List<String> left =
        outcome.entrySet().stream()
            .filter(e -> e.getValue() == Outcome.EXISTED)
            .map(Map.Entry::getKey)
            .toList();
    if (!left.isEmpty()) {
      describeExisting(left, Set.copyOf(names.objectTopics()));
    }
    return outcome;
  }

  /** Returns once every partition of {@code topics} answers ListOffsets from its leader. */
  private void awaitLeaders(List<String> topics) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try {
        Map<TopicPartition, OffsetSpec> latest = new LinkedHashMap<>();
        for (TopicDescription d : get(admin.describeTopics(topics).allTopicNames()).values()) {
          for (TopicPartitionInfo p : d.partitions()) {
            latest.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest());
          }
        }
        get(admin.listOffsets(latest).all());
        return;
      } catch (KafkaException e) {
        if (!(e instanceof RetriableException) || System.nanoTime() > deadline) {
          throw new KafkaException(
              "created topics " + topics + " have no writable leader within " + timeout, e);
        }
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        throw new InterruptException(e);
      }
    }
  }

  private static void plan(
      String topic,
      boolean compacted,
      int partitions,
      short replicationFactor,
      Set<String> existing,
      Map<String, Outcome> outcome,
      List<NewTopic> create) {
    if (existing.contains(topic)) {
      outcome.put(topic, Outcome.EXISTED);
      return;
    }
    outcome.put(topic, Outcome.CREATED);
    create.add(
        new NewTopic(topic, partitions, replicationFactor)
            .configs(
                Map.of(
                    TopicConfig.CLEANUP_POLICY_CONFIG,
                    compacted
                        ? TopicConfig.CLEANUP_POLICY_COMPACT
                        : TopicConfig.CLEANUP_POLICY_DELETE)));
  }

  private void describeExisting(Collection<String> topics, Set<String> objectTopics) {
    Map<String, TopicDescription> descriptions = get(admin.describeTopics(topics).allTopicNames());
    List<ConfigResource> resources =
        topics.stream().map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList();
    Map<ConfigResource, Config> configs = get(admin.describeConfigs(resources).all());
    for (String t : topics) {
      Config c = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, t));
      String policy = value(c, TopicConfig.CLEANUP_POLICY_CONFIG);
      TopicDescription d = descriptions.get(t);
      int parts = d == null ? -1 : d.partitions().size();
      log.info(
          "topic {} exists, left unchanged: {} partitions, cleanup.policy={}, retention.ms={}",
          t,
          parts,
          policy,
          value(c, TopicConfig.RETENTION_MS_CONFIG));
      if (objectTopics.contains(t) && !policy.contains(TopicConfig.CLEANUP_POLICY_COMPACT)) {
        log.warn(
            "object topic {} is not compacted (cleanup.policy={}): objects whose last event"
                + " expires are lost for a restarting controller",
            t,
            policy);
      }
    }
  }

  private static String value(Config c, String name) {
    ConfigEntry e = c == null ? null : c.get(name);
    return e == null || e.value() == null ? "?" : e.value();
  }

  private <T> T get(KafkaFuture<T> f) {
    try {
      return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      throw cause instanceof KafkaException ? (KafkaException) cause : new KafkaException(cause);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new TimeoutException("no answer from the brokers within " + timeout, e);
    } catch (InterruptedException e) {
      throw new InterruptException(e);
    }
  }
}
