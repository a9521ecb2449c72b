package dev.sluice.controller.events;

import dev.sluice.compiler.cluster.ClusterState;
import dev.sluice.compiler.cluster.ManifestError;
import dev.sluice.compiler.cluster.ObjectKey;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.TopicPartition;

/**
 * A {@link ClusterEventSink} that folds events into an immutable {@link ClusterState} snapshot and
 * remembers, per partition, the position of the last event it took. Snapshots can be read from any
 * thread.
 */
public final class ClusterStateSink implements ClusterEventSink {
  private volatile ClusterState state;
  private final Map<TopicPartition, Long> applied = new ConcurrentHashMap<>();

  /** A sink starting from the empty cluster. */
  public ClusterStateSink() {
    this(ClusterState.empty());
  }

  /** A sink starting from a given snapshot. */
  public ClusterStateSink(ClusterState initial) {
    this.state = initial;
  }

  @Override
  public List<ManifestError> apply(ObjectKey key, HasMetadata object, EventPosition position) {
    ClusterState.ApplyResult r = state.apply(object, position.toString());
    state = r.state();
    applied.put(new TopicPartition(position.topic(), position.partition()), position.offset());
    return r.errors();
  }

  @Override
  public List<ManifestError> delete(ObjectKey key, EventPosition position) {
    ClusterState.ApplyResult r = state.delete(key.kind(), key.namespace(), key.name());
    state = r.state();
    applied.put(new TopicPartition(position.topic(), position.partition()), position.offset());
    return r.errors();
  }

  /** The current snapshot. */
  public ClusterState state() {
    return state;
  }

  /** The offset of the last event taken, per partition. */
  public Map<TopicPartition, Long> appliedOffsets() {
    return Map.copyOf(applied);
  }
}
