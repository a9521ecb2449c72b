package dev.sluice.controller.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.compiler.cluster.ObjectKind;
import org.junit.jupiter.api.Test;

class TopicNamesTest {
  @Test
  void defaultsAreOneSluiceTopicPerKind() {
    TopicNames t = TopicNames.defaults();
    assertThat(t.objectTopics())
        .containsExactly(
            "sluice.nodes",
            "sluice.namespaces",
            "sluice.pods",
            "sluice.services",
            "sluice.endpoints",
            "sluice.endpointslices",
            "sluice.networkpolicies");
    assertThat(t.controllerTopics())
        .containsExactly("sluice.deadletter", "sluice.realization", "sluice.audit");
    for (ObjectKind k : ObjectKind.values()) {
      assertThat(t.kindOf(t.topicFor(k))).contains(k);
    }
    assertThat(t.kindOf("sluice.deadletter")).isEmpty();
  }

  @Test
  void illegalOrDuplicateNamesAreRefused() {
    assertThatThrownBy(() -> TopicNames.withPrefix("bad prefix "))
        .isInstanceOf(IllegalArgumentException.class);
    TopicNames d = TopicNames.defaults();
    assertThatThrownBy(
            () ->
                new TopicNames(
                    d.pods(),
                    d.namespaces(),
                    d.pods(),
                    d.services(),
                    d.endpoints(),
                    d.endpointSlices(),
                    d.networkPolicies(),
                    d.deadLetter(),
                    d.realization(),
                    d.audit()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
