package dev.sluice.controller.events;

import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * Counters of an {@link EventSource} (a consistent-enough snapshot: each value is read atomically).
 *
 * @param applied objects applied (created or updated) in the sink
 * @param deleted tombstones applied
 * @param deadLettered records sent to the dead-letter topic
 * @param staleDropped updates dropped as older than what was applied
 * @param lag per assigned partition, end offset − position, as of the last fetch
 */
public record EventSourceStats(
    long applied,
    long deleted,
    long deadLettered,
    long staleDropped,
    Map<TopicPartition, Long> lag) {

  /** Copies the map. */
  public EventSourceStats {
    lag = Map.copyOf(lag);
  }

  /** The sum of all partitions' lag. */
  public long totalLag() {
    return lag.values().stream().mapToLong(Long::longValue).sum();
  }
}
