package dev.sluice.controller.events;

import dev.sluice.compiler.cluster.ManifestError;
import dev.sluice.compiler.cluster.ObjectKey;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;

/**
 * Where the {@link EventSource} delivers the events it consumed, one at a time, on its own thread,
 * in stream order per partition. The controller's state store implements it over {@link
 * dev.sluice.compiler.cluster.ClusterState}; {@link ClusterStateSink} is the plain version.
 *
 * <p>Both methods must be idempotent (the stream is at-least-once: after a crash, events since the
 * last commit are delivered again) and must not throw for bad input: an object the model rejects is
 * reported as a {@link ManifestError.Severity#ERROR} in the result, and the event source then
 * dead-letters the record. An exception thrown anyway is treated the same way.
 */
public interface ClusterEventSink {

  /**
   * Applies (creates or replaces) an object.
   *
   * @param key the object's kind and key (the record key, checked against the object)
   * @param object the parsed object
   * @param position where the event came from (realization tracking reports it back)
   * @return the errors and warnings of this step; empty when it applied cleanly
   */
  List<ManifestError> apply(ObjectKey key, HasMetadata object, EventPosition position);

  /**
   * Deletes an object (a tombstone); deleting an unknown object is a no-op.
   *
   * @return the errors and warnings of this step
   */
  List<ManifestError> delete(ObjectKey key, EventPosition position);
}
