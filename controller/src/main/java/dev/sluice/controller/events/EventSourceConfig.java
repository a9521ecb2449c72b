package dev.sluice.controller.events;

import java.time.Duration;
import java.util.Map;

/**
 * How the {@link EventSource} consumes.
 *
 * @param bootstrapServers {@code host:port,…}
 * @param groupId the consumer group: offsets are committed under it (in both modes)
 * @param topics the topic names
 * @param mode manual assignment of every partition (a controller needs the whole cluster) or group
 *     subscription
 * @param startFrom where to start when the source starts
 * @param pollTimeout the longest one {@code poll()} blocks
 * @param minBackoff first wait after a recoverable failure (doubles up to {@code maxBackoff})
 * @param maxBackoff longest wait between retries
 * @param requestTimeout bound for blocking calls: commit, end offsets, positions, dead letters
 * @param clientOverrides extra consumer/producer properties (security settings, …), applied last
 */
public record EventSourceConfig(
    String bootstrapServers,
    String groupId,
    TopicNames topics,
    Mode mode,
    StartFrom startFrom,
    Duration pollTimeout,
    Duration minBackoff,
    Duration maxBackoff,
    Duration requestTimeout,
    Map<String, String> clientOverrides) {

  /** The default consumer group. */
  public static final String DEFAULT_GROUP = "sluice-controller";

  /** How partitions are obtained. */
  public enum Mode {
    /** {@code assign()} every partition of every object topic: one controller sees everything. */
    ASSIGN,
    /** {@code subscribe()} with the group: partitions are shared among the group's members. */
    SUBSCRIBE
  }

  /** Where consumption starts. */
  public enum StartFrom {
    /**
     * The beginning of every partition, ignoring committed offsets: a new controller process has an
     * empty state and rebuilds it from the compacted topics (docs/design.md §3).
     */
    BEGINNING,
    /**
     * The group's committed offsets (the beginning where there are none): for restarting the event
     * source inside a process whose state survived, e.g. after a fatal error was fixed.
     */
    COMMITTED
  }

  /** Checks the values and copies the overrides. */
  public EventSourceConfig {
    if (bootstrapServers.isBlank() || groupId.isBlank()) {
      throw new IllegalArgumentException("bootstrap servers and group id are required");
    }
    if (pollTimeout.isNegative()
        || minBackoff.isNegative()
        || maxBackoff.compareTo(minBackoff) < 0
        || requestTimeout.isNegative()
        || requestTimeout.isZero()) {
      throw new IllegalArgumentException("bad timeouts in " + this);
    }
    clientOverrides = Map.copyOf(clientOverrides);
  }

  /** Defaults: group {@value #DEFAULT_GROUP}, {@code sluice.*} topics, assign, from the start. */
  public static EventSourceConfig defaults(String bootstrapServers) {
    return new EventSourceConfig(
        bootstrapServers,
        DEFAULT_GROUP,
        TopicNames.defaults(),
        Mode.ASSIGN,
        StartFrom.BEGINNING,
        Duration.ofMillis(500),
        Duration.ofMillis(100),
        Duration.ofSeconds(5),
        Duration.ofSeconds(10),
        Map.of());
  }

  /** With another consumer group. */
  public EventSourceConfig withGroupId(String group) {
    return new EventSourceConfig(
        bootstrapServers,
        group,
        topics,
        mode,
        startFrom,
        pollTimeout,
        minBackoff,
        maxBackoff,
        requestTimeout,
        clientOverrides);
  }

  /** With other topic names. */
  public EventSourceConfig withTopics(TopicNames names) {
    return new EventSourceConfig(
        bootstrapServers,
        groupId,
        names,
        mode,
        startFrom,
        pollTimeout,
        minBackoff,
        maxBackoff,
        requestTimeout,
        clientOverrides);
  }

  /** With another partition mode. */
  public EventSourceConfig withMode(Mode m) {
    return new EventSourceConfig(
        bootstrapServers,
        groupId,
        topics,
        m,
        startFrom,
        pollTimeout,
        minBackoff,
        maxBackoff,
        requestTimeout,
        clientOverrides);
  }

  /** With another start position. */
  public EventSourceConfig withStartFrom(StartFrom s) {
    return new EventSourceConfig(
        bootstrapServers,
        groupId,
        topics,
        mode,
        s,
        pollTimeout,
        minBackoff,
        maxBackoff,
        requestTimeout,
        clientOverrides);
  }

  /** With other retry timings. */
  public EventSourceConfig withTimings(
      Duration poll, Duration minBack, Duration maxBack, Duration request) {
    return new EventSourceConfig(
        bootstrapServers,
        groupId,
        topics,
        mode,
        startFrom,
        poll,
        minBack,
        maxBack,
        request,
        clientOverrides);
  }

  /** With extra client properties. */
  public EventSourceConfig withClientOverrides(Map<String, String> overrides) {
    return new EventSourceConfig(
        bootstrapServers,
        groupId,
        topics,
        mode,
        startFrom,
        pollTimeout,
        minBackoff,
        maxBackoff,
        requestTimeout,
        overrides);
  }
}
