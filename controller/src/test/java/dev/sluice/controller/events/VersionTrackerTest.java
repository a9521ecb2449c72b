package dev.sluice.controller.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.compiler.cluster.ObjectKey;
import dev.sluice.compiler.cluster.ObjectKind;
import org.junit.jupiter.api.Test;

class VersionTrackerTest {
  private final VersionTracker tracker = new VersionTracker();
  private final ObjectKey pod = new ObjectKey(ObjectKind.POD, "default", "frontend");
  private final ObjectKey other = new ObjectKey(ObjectKind.POD, "default", "backend1");

  @Test
  void olderResourceVersionIsStaleComparedNumerically() {
    tracker.record(pod, "100", null);
    assertThat(tracker.staleness(pod, "99", null)).hasValueSatisfying(s -> s.contains("99"));
    assertThat(tracker.staleness(pod, "100", null)).isEmpty(); // same version: idempotent
    assertThat(tracker.staleness(pod, "1000", null)).isEmpty(); // numeric, not lexicographic
  }

  @Test
  void versionsAreTrackedPerKey() {
    tracker.record(pod, "100", null);
    assertThat(tracker.staleness(other, "5", null)).isEmpty();
  }

  @Test
  void nonNumericResourceVersionFallsBackToGeneration() {
    tracker.record(pod, "abc", 3L);
    assertThat(tracker.staleness(pod, "abd", 2L)).isPresent();
    assertThat(tracker.staleness(pod, "abd", 3L)).isEmpty();
    assertThat(tracker.staleness(pod, null, 4L)).isEmpty();
  }

  @Test
  void resourceVersionWinsOverGeneration() {
    // a re-created object: newer resourceVersion, generation back at 1
    tracker.record(pod, "100", 7L);
    assertThat(tracker.staleness(pod, "200", 1L)).isEmpty();
  }

  @Test
  void objectsWithoutVersionsAreNeverStale() {
    tracker.record(pod, null, null);
    assertThat(tracker.staleness(pod, null, null)).isEmpty();
    tracker.record(pod, "100", null);
    assertThat(tracker.staleness(pod, null, null)).isEmpty();
  }

  @Test
  void deleteForgetsTheObject() {
    tracker.record(pod, "100", null);
    tracker.forget(pod);
    assertThat(tracker.staleness(pod, "3", null)).isEmpty();
    assertThat(tracker.size()).isZero();
  }
}
