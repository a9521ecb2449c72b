package dev.sluice.compiler.verdict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.compiler.cluster.ClusterState;
import dev.sluice.compiler.cluster.ManifestReader;
import dev.sluice.compiler.cluster.Protocol;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The scenario files of {@link PolicyVerdictIT} are well-formed, checked without OVS. */
class TruthTableTest {
  private static final List<String> PODS = List.of("x/a", "x/b", "y/a");
  private static final String HEADER = "-    x/a x/b y/a\n";

  static Stream<String> scenarios() throws IOException {
    return PolicyVerdictIT.scenarios();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scenarios")
  void everyScenarioHasValidPoliciesAndACompleteTruthTable(String scenario) throws IOException {
    Path dir = PolicyVerdictIT.VERDICTS.resolve("scenarios").resolve(scenario);
    List<String> pods = List.of("x/a", "x/b", "x/c", "y/a", "y/b", "y/c", "z/a", "z/b", "z/c");
    TruthTable t = TruthTable.read(dir.resolve("expected.txt"), pods);
    assertThat(t.probes()).isNotEmpty();

    ManifestReader reader = new ManifestReader();
    ManifestReader.Manifests cluster = reader.read(PolicyVerdictIT.VERDICTS.resolve("cluster"));
    ManifestReader.Manifests policies = reader.read(dir);
    assertThat(policies.errors()).isEmpty();
    ClusterState.ApplyResult r =
        ClusterState.empty().applyManifests(cluster).state().applyManifests(policies);
    assertThat(r.errors()).isEmpty();
    assertThat(r.state().networkPolicies()).hasSize(policies.objects().size());
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .allMatch(n -> n.equals("expected.txt") || n.endsWith(".yaml"));
    }
  }

  @Test
  void oneGridCanHoldForSeveralProbes() {
    TruthTable t =
        TruthTable.parse(
            "# comment\nprobe 80/TCP 81/UDP\n"
                + HEADER
                + "x/a . X .\nx/b . . .  # trailing comment\ny/a X X .\n",
            "t",
            PODS);
    assertThat(t.probes())
        .containsExactly(new Probe(80, Protocol.TCP), new Probe(81, Protocol.UDP));
    assertThat(t.allowed(Probe.parse("81/UDP"), "x/a", "x/b")).isFalse();
    assertThat(t.allowed(Probe.parse("80/TCP"), "x/b", "x/a")).isTrue();
    assertThat(t.allowed(Probe.parse("80/TCP"), "y/a", "x/b")).isFalse();
  }

  @Test
  void malformedTablesAreRejectedWithTheLine() {
    assertThatThrownBy(() -> TruthTable.parse("probe 80/TCP\n" + HEADER + "x/a X . .\n", "t", PODS))
        .hasMessageContaining("t:3: x/a to itself is loopback");
    assertThatThrownBy(() -> TruthTable.parse("probe 80/TCP\n-    x/a y/a x/b\n", "t", PODS))
        .hasMessageContaining("header");
    assertThatThrownBy(() -> TruthTable.parse("probe 80/TCP\n" + HEADER + "x/a . .\n", "t", PODS))
        .hasMessageContaining("expected 3 cells");
    assertThatThrownBy(() -> TruthTable.parse("probe 80/TCP\n" + HEADER + "x/a . ? .\n", "t", PODS))
        .hasMessageContaining("neither");
    assertThatThrownBy(() -> TruthTable.parse("probe 80/TCP\n" + HEADER + "x/a . . .\n", "t", PODS))
        .hasMessageContaining("incomplete");
    String full = HEADER + "x/a . . .\nx/b . . .\ny/a . . .\n";
    assertThatThrownBy(
            () -> TruthTable.parse("probe 80/TCP\n" + full + "probe 80/TCP\n" + full, "t", PODS))
        .hasMessageContaining("two grids");
    assertThatThrownBy(() -> Probe.parse("80-TCP")).hasMessageContaining("PORT/PROTOCOL");
  }
}
