package dev.sluice.controller.events;

import dev.sluice.compiler.cluster.ClusterState;
import dev.sluice.compiler.cluster.ManifestError;
import dev.sluice.compiler.cluster.ObjectKey;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A {@link ClusterStateSink} that also records every event it took, for assertions. */
final class RecordingSink implements ClusterEventSink {
  /** One event as the sink saw it. */
  record Taken(String op, ObjectKey key, EventPosition position) {}

  private final ClusterStateSink state = new ClusterStateSink();
  private final List<Taken> taken = new ArrayList<>();

  @Override
  public synchronized List<ManifestError> apply(
      ObjectKey key, HasMetadata object, EventPosition position) {
    taken.add(new Taken("apply", key, position));
    notifyAll();
    return state.apply(key, object, position);
  }

  @Override
  public synchronized List<ManifestError> delete(ObjectKey key, EventPosition position) {
    taken.add(new Taken("delete", key, position));
    notifyAll();
    return state.delete(key, position);
  }

  synchronized List<Taken> taken() {
    return List.copyOf(taken);
  }

  synchronized int count() {
    return taken.size();
  }

  ClusterState state() {
    return state.state();
  }

  /** Waits until at least {@code n} events were taken; returns them. */
  synchronized List<Taken> await(int n, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (taken.size() < n) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError("only " + taken.size() + " of " + n + " events: " + taken);
      }
      wait(Math.max(1, left / 1_000_000));
    }
    return List.copyOf(taken);
  }
}
