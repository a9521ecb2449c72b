package dev.sluice.compiler.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.compiler.cluster.LabelSelector.Operator;
import dev.sluice.compiler.cluster.LabelSelector.Requirement;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LabelSelectorTest {

  private static final Map<String, String> BACKEND = Map.of("role", "backend", "tier", "api");
  private static final Map<String, String> NONE = Map.of();

  static Stream<Arguments> cases() {
    return Stream.of(
        // selector, labels, expected
        Arguments.of(LabelSelector.everything(), NONE, true),
        Arguments.of(LabelSelector.everything(), BACKEND, true),
        Arguments.of(LabelSelector.of(Map.of("role", "backend")), BACKEND, true),
        Arguments.of(LabelSelector.of(Map.of("role", "frontend")), BACKEND, false),
        Arguments.of(LabelSelector.of(Map.of("role", "backend")), NONE, false),
        Arguments.of(LabelSelector.of(Map.of("role", "backend", "tier", "web")), BACKEND, false),
        Arguments.of(expr("tier", Operator.IN, "api", "web"), BACKEND, true),
        Arguments.of(expr("tier", Operator.IN, "web"), BACKEND, false),
        Arguments.of(expr("tier", Operator.IN, "api"), NONE, false),
        Arguments.of(expr("tier", Operator.NOT_IN, "web"), BACKEND, true),
        Arguments.of(expr("tier", Operator.NOT_IN, "api"), BACKEND, false),
        Arguments.of(expr("tier", Operator.NOT_IN, "api"), NONE, true), // absent key matches NotIn
        Arguments.of(expr("role", Operator.EXISTS), BACKEND, true),
        Arguments.of(expr("role", Operator.EXISTS), NONE, false),
        Arguments.of(expr("canary", Operator.DOES_NOT_EXIST), BACKEND, true),
        Arguments.of(expr("role", Operator.DOES_NOT_EXIST), BACKEND, false),
        Arguments.of(
            new LabelSelector(
                Map.of("role", "backend"),
                List.of(new Requirement("tier", Operator.IN, Set.of("web")))),
            BACKEND,
            false)); // matchLabels AND matchExpressions
  }

  private static LabelSelector expr(String key, Operator op, String... values) {
    return new LabelSelector(Map.of(), List.of(new Requirement(key, op, Set.of(values))));
  }

  @ParameterizedTest(name = "[{index}] {0} matches {1}: {2}")
  @MethodSource("cases")
  void matchesWithUpstreamSemantics(
      LabelSelector selector, Map<String, String> labels, boolean expected) {
    assertThat(selector.matches(labels)).isEqualTo(expected);
  }

  @Test
  void rejectsUnknownOperatorsAndBadValueCombinations() {
    assertThatThrownBy(() -> Operator.parse("Gt"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown operator 'Gt'")
        .hasMessageContaining("In, NotIn, Exists or DoesNotExist");
    assertThatThrownBy(() -> Operator.parse("in")).hasMessageContaining("'in'");
    assertThatThrownBy(() -> new Requirement("k", Operator.IN, Set.of()))
        .hasMessageContaining("needs at least one value");
    assertThatThrownBy(() -> new Requirement("k", Operator.EXISTS, Set.of("x")))
        .hasMessageContaining("must not have values");
  }

  @Test
  void printsLikeKubectl() {
    assertThat(LabelSelector.everything()).hasToString("<all>");
    assertThat(
            new LabelSelector(
                Map.of("role", "backend"),
                List.of(
                    new Requirement("tier", Operator.NOT_IN, Set.of("b", "a")),
                    new Requirement("canary", Operator.DOES_NOT_EXIST, Set.of()))))
        .hasToString("role=backend,tier notin (a,b),!canary");
  }
}
