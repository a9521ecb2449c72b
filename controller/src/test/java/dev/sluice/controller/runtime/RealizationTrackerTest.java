package dev.sluice.controller.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.compiler.cluster.ObjectKey;
import dev.sluice.compiler.cluster.ObjectKind;
import dev.sluice.controller.events.EventPosition;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RealizationTrackerTest {
  private static final ObjectKey POLICY = new ObjectKey(ObjectKind.NETWORK_POLICY, "a", "p");

  private static ObjectKey pod(String name) {
    return new ObjectKey(ObjectKind.POD, "a", name);
  }

  @Test
  void realizedOffsetStopsBeforeTheFirstPendingEvent() {
    RealizationTracker t = new RealizationTracker();
    t.consumed(new EventPosition("pods", 0, 5), 1, Set.of("n1"), pod("x"));
    t.consumed(new EventPosition("pods", 0, 6), 2, Set.of("n1", "n2"), pod("y"));
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
    t.consumed(new EventPosition("pols", 0, 0), 1, Set.of("n1"), POLICY);
    t.policy(POLICY, 1L, 1);
    assertThat(t.newlyRealizedPolicies("n1")).isEmpty();
    t.realized("n1", 1);
    assertThat(t.newlyRealizedPolicies("n1"))
        .extracting(RealizationTracker.PolicyVersion::policy)
        .containsExactly(POLICY);
    assertThat(t.newlyRealizedPolicies("n1")).isEmpty();
    t.policy(POLICY, 2L, 2);
    assertThat(t.newlyRealizedPolicies("n1"))
        .extracting(RealizationTracker.PolicyVersion::generation)
        .containsExactly(2L);
  }

  @Test
  void aNodeWithoutSwitchDoesNotGrowWithoutBound() {
    RealizationTracker t = new RealizationTracker();
    for (int i = 0; i < RealizationTracker.MAX_PENDING_PER_NODE + 500; i++) {
      t.consumed(new EventPosition("pods", 0, i), i + 1, Set.of("master"), pod("x"));
    }
    assertThat(t.pendingCount("master")).isEqualTo(RealizationTracker.MAX_PENDING_PER_NODE);
  }

  @Test
  void pendingEventsNameTheirObject() {
    RealizationTracker t = new RealizationTracker();
    t.consumed(new EventPosition("pods", 0, 5), 1, Set.of("n1"), pod("x"));
    t.consumed(new EventPosition("pods", 0, 6), 2, Set.of("n1"));
    assertThat(t.pendingEvents("n1", 2, 10))
        .extracting(m -> m.get("object"))
        .containsExactly("Pod a/x", "");
  }

  @Test
  void offsetsAreListedByTopicThenPartitionNumber() {
    RealizationTracker t = new RealizationTracker();
    for (int p : new int[] {10, 2, 0, 1}) {
      t.consumed(new EventPosition("pods", p, 3), p + 1, Set.of());
    }
    t.consumed(new EventPosition("nodes", 0, 1), 20, Set.of());
    List<String> order = List.of("nodes-0", "pods-0", "pods-1", "pods-2", "pods-10");
    assertThat(t.consumedOffsets().keySet()).containsExactlyElementsOf(order);
    assertThat(t.realizedOffsets("n1").keySet()).containsExactlyElementsOf(order);
    assertThat(t.consumedOffset(new RealizationTracker.Partition("pods", 10))).isEqualTo(3);
    assertThat(t.consumedOffset(new RealizationTracker.Partition("pods", 3))).isEqualTo(-1);
  }

  @Test
  void policiesAreListedByNamespaceAndName() {
    RealizationTracker t = new RealizationTracker();
    t.policy(new ObjectKey(ObjectKind.NETWORK_POLICY, "b", "p"), 1L, 1);
    t.policy(POLICY, 3L, 2);
    assertThat(t.policies(List.of("n1")))
        .extracting(p -> Map.entry(p.policy(), p.generation()))
        .containsExactly(Map.entry("a/p", 3L), Map.entry("b/p", 1L));
    t.policy(POLICY, null, 3);
    assertThat(t.policies(List.of("n1"))).extracting(p -> p.policy()).containsExactly("b/p");
  }
}
