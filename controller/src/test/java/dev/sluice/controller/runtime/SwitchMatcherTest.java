package dev.sluice.controller.runtime;

import static dev.sluice.controller.runtime.RuntimeFixtures.node;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.compiler.cluster.ClusterState;
import dev.sluice.compiler.cluster.SluiceAnnotations;
import dev.sluice.testkit.objects.ClusterObjects;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SwitchMatcherTest {
  private static final ClusterState CLUSTER =
      ClusterState.empty()
          .apply(
              ClusterObjects.node(
                  "worker1",
                  "10.10.1.0/24",
                  "192.168.77.1",
                  Map.of(SluiceAnnotations.DATAPATH_ID, "00:00:00:00:00:00:00:0a")))
          .state()
          .apply(node("worker2", 2))
          .state();

  private static SwitchMatcher.Outcome match(SwitchMatcher m, long dpid) {
    return m.match(dpid, String.format("%016x", dpid), CLUSTER, n -> Optional.empty());
  }

  @Test
  void theAnnotationWinsOverTheSwitchesMap() {
    SwitchMatcher m = new SwitchMatcher(Map.of(10L, "worker2"));
    assertThat(match(m, 10))
        .isEqualTo(new SwitchMatcher.Matched("worker1", "annotation sluice.dev/datapath-id"));
  }

  @Test
  void theSwitchesMapMatchesAnUnannotatedNode() {
    SwitchMatcher m = new SwitchMatcher(Map.of(2L, "worker2"));
    assertThat(match(m, 2))
        .isEqualTo(new SwitchMatcher.Matched("worker2", "the switches map of the configuration"));
    assertThat(m.expectedNodes(CLUSTER)).containsExactly("worker1", "worker2");
  }

  @Test
  void anUnknownSwitchOrAMissingConfiguredNodeIsLeftAlone() {
    SwitchMatcher m = new SwitchMatcher(Map.of(3L, "worker3"));
    assertThat(match(m, 99)).isInstanceOf(SwitchMatcher.Unmatched.class);
    assertThat(((SwitchMatcher.Unmatched) match(m, 99)).why())
        .contains("matches no node")
        .contains("sluice.dev/datapath-id=0000000000000063");
    assertThat(((SwitchMatcher.Unmatched) match(m, 3)).why())
        .contains("configured for node worker3, which does not exist");
    assertThat(m.expectedNodes(CLUSTER)).containsExactly("worker1");
  }

  @Test
  void aNodeServedByAnotherConnectedSwitchIsNotTakenOver() {
    SwitchMatcher m = new SwitchMatcher(Map.of());
    SwitchMatcher.Outcome o =
        m.match(
            10,
            "000000000000000a",
            CLUSTER,
            n -> Optional.of(new SwitchMatcher.Served(11, "switch br-int dpid=000000000000000b")));
    assertThat(o).isInstanceOf(SwitchMatcher.Unmatched.class);
    assertThat(((SwitchMatcher.Unmatched) o).conflict()).isTrue();
    // The same switch reconnecting is matched again.
    assertThat(
            m.match(
                10,
                "000000000000000a",
                CLUSTER,
                n -> Optional.of(new SwitchMatcher.Served(10, "switch br-int"))))
        .isInstanceOf(SwitchMatcher.Matched.class);
  }

  @Test
  void anUnmatchedSwitchIsLoggedOnceUntilForgotten() {
    SwitchMatcher m = new SwitchMatcher(Map.of());
    Object session = new Object();
    assertThat(m.warnOnce(session)).isTrue();
    assertThat(m.warnOnce(session)).isFalse();
    m.forget(session);
    assertThat(m.warnOnce(session)).isTrue();
  }
}
