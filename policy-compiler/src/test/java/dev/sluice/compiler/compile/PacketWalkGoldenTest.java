package dev.sluice.compiler.compile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.compiler.cluster.ClusterState;
import dev.sluice.compiler.cluster.ManifestReader;
import dev.sluice.compiler.flow.Flow;
import dev.sluice.compiler.flow.FlowText;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The golden test of the seed packet walk: compile {@code deploy/examples/packet-walk} and compare,
 * for every table the seed prints, with the seed's real {@code dump-flows} output ({@code
 * flows/worker{1,2}.flows}) line for line, in the seed's spelling ({@code mod_dl_dst:}, {@code
 * resubmit(,N)}, {@code load:}, {@code conjunction(id,k/n)}).
 *
 * <p>Two things differ by design and are normalized on both sides: cookies carry an object id in
 * bits 0..39 that the seed's Antrea did not have (compared as round | category, {@link
 * dev.sluice.compiler.pipeline.Cookie#withoutObject}), and conj_ids are hashes of the rule instead
 * of Antrea's per-agent counter (renumbered by what each conjunction matches, {@link
 * ConjCanonicalizer}).
 */
class PacketWalkGoldenTest {
  static final Path EXAMPLE = Path.of("..", "deploy", "examples", "packet-walk");

  static CompiledCluster compileExample() throws IOException {
    ManifestReader.Manifests m = new ManifestReader().read(EXAMPLE.resolve("manifests"));
    assertThat(m.errors()).isEmpty();
    ClusterState.ApplyResult r = ClusterState.empty().applyManifests(m);
    assertThat(r.rejections()).isEmpty();
    PortSource ports =
        PortSource.explicit(
            Map.of(
                "worker1", PortMap.readCsv(EXAMPLE.resolve("ports-worker1.csv")),
                "worker2", PortMap.readCsv(EXAMPLE.resolve("ports-worker2.csv"))));
    return CompiledCluster.compileAll(r.state(), CompilerConfig.defaults(), ports);
  }

  @ParameterizedTest
  @ValueSource(strings = {"worker1", "worker2"})
  void everyTableTheSeedShowsIsReproducedLineForLine(String node) throws IOException {
    CompiledCluster compiled = compileExample();
    PortMap ports = compiled.ports(node);
    List<Flow> seed =
        FlowText.parseAll(
            Files.readString(
                EXAMPLE.resolve("flows").resolve(node + ".flows"), StandardCharsets.UTF_8),
            ports.names(),
            true);
    TreeSet<Integer> tables = new TreeSet<>();
    seed.forEach(f -> tables.add(f.table()));
    List<Flow> ours =
        compiled.flows(node).flows().stream().filter(f -> tables.contains(f.table())).toList();

    List<Flow> seedCanon = ConjCanonicalizer.canonical(seed);
    List<Flow> oursCanon = ConjCanonicalizer.canonical(ours);
    for (int table : tables) {
      assertThat(text(oursCanon, table, ports))
          .as("%s table %d", node, table)
          .containsExactlyInAnyOrderElementsOf(text(seedCanon, table, ports));
    }
    assertThat(new TreeSet<>(oursCanon.stream().map(Flow::toString).toList()))
        .isEqualTo(new TreeSet<>(seedCanon.stream().map(Flow::toString).toList()));
  }

  private static List<String> text(List<Flow> flows, int table, PortMap ports) {
    return flows.stream()
        .filter(f -> f.table() == table)
        .map(f -> FlowText.formatForAdd(f, ports.names(), FlowText.Style.OPENFLOW10))
        .toList();
  }
}
