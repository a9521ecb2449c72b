package dev.sluice.controller.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.controller.events.EventPosition;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RealizationTrackerTest {
  @Test
  void realizedOffsetStopsBeforeTheFirstPendingEvent() {
    RealizationTracker t = new RealizationTracker();
    t.consumed(new EventPosition("pods", 0, 5), 1, Set.of("n1"), "Pod a/x");
    t.consumed(new EventPosition("pods", 0, 6), 2, Set.of("n1", "n2"), "Pod a/y");
    assertThat(t.realizedOffsets("n1")).containsEntry("pods-0", 4L);
    assertThat(t.realizedOffsets("n2")).containsEntry("pods-0", 5L);
    t.realized("n1", 1);
    assertThat(t.realizedOffsets("n1")).containsEntry("pods-0", 5L);
    t.realized("n1", 2);
    assertThat(t.realizedOffsets("n1")).containsEntry("pods-0", 6L);
    assertThat(t.pendingCount("n1")).isZero();
  }

  @Test
  void policyGenerationsAreReportedOncePerNode() {
    RealizationTracker t = new RealizationTracker();
    t.consumed(new EventPosition("pols", 0, 0), 1, Set.of("n1"), "NetworkPolicy a/p");
    t.policy("a/p", 1L, 1);
    assertThat(t.newlyRealizedPolicies("n1")).isEmpty();
    t.realized("n1", 1);
    assertThat(t.newlyRealizedPolicies("n1"))
        .extracting(RealizationTracker.PolicyVersion::key)
        .containsExactly("a/p");
    assertThat(t.newlyRealizedPolicies("n1")).isEmpty();
    t.policy("a/p", 2L, 2);
    assertThat(t.newlyRealizedPolicies("n1"))
        .extracting(RealizationTracker.PolicyVersion::generation)
        .containsExactly(2L);
  }

  @Test
  void aNodeWithoutSwitchDoesNotGrowWithoutBound() {
    RealizationTracker t = new RealizationTracker();
    for (int i = 0; i < RealizationTracker.MAX_PENDING_PER_NODE + 500; i++) {
      t.consumed(new EventPosition("pods", 0, i), i + 1, Set.of("master"), "Pod a/x");
    }
    assertThat(t.pendingCount("master")).isEqualTo(RealizationTracker.MAX_PENDING_PER_NODE);
  }
}
