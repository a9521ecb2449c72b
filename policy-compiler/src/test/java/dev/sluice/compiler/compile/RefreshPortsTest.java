package dev.sluice.compiler.compile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.compiler.cluster.ClusterState;
import dev.sluice.compiler.cluster.ManifestReader;
import dev.sluice.compiler.cluster.PodInfo;
import dev.sluice.compiler.flow.Flow;
import dev.sluice.compiler.flow.TableChanges;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Ports learned from a switch after the cluster was compiled: {@link CompiledCluster#refreshPorts}
 * ends where a cold compile with those ports starts, and its diff replays.
 */
class RefreshPortsTest {

  /** A port source whose maps change (as a controller's learned ports do). */
  static final class Mutable implements PortSource {
    final Map<String, PortMap> maps = new HashMap<>();

    @Override
    public PortMap ports(String node, Collection<PodInfo> pods) {
      return maps.getOrDefault(node, new PortMap(Map.of()));
    }

    @Override
    public boolean dependsOnPods(String node) {
      return false;
    }
  }

  @Test
  void learnedPortsRecompileTheNodeExactlyAsAColdCompile() throws Exception {
    ClusterState state =
        ClusterState.empty()
            .applyManifests(
                new ManifestReader().read(PacketWalkGoldenTest.EXAMPLE.resolve("manifests")))
            .state();
    PortMap w1 = PortMap.readCsv(PacketWalkGoldenTest.EXAMPLE.resolve("ports-worker1.csv"));
    Mutable ports = new Mutable();
    CompiledCluster c = CompiledCluster.compileAll(state, CompilerConfig.defaults(), ports);
    List<Flow> before = c.flows("worker1").flows();
    List<Flow> worker2 = c.flows("worker2").flows();

    ports.maps.put("worker1", w1);
    CompiledCluster.Result r = c.refreshPorts("worker1");

    CompiledCluster cold =
        CompiledCluster.compileAll(
            state, CompilerConfig.defaults(), PortSource.explicit(Map.of("worker1", w1)));
    assertThat(r.compiled().flows("worker1")).isEqualTo(cold.flows("worker1"));
    assertThat(r.compiled().flows("worker2").flows()).isEqualTo(worker2);
    TableChanges d = r.changes().get("worker1");
    HashMap<Flow.Key, Flow> replay = new HashMap<>();
    before.forEach(f -> replay.put(f.key(), f));
    d.flowDeletes().forEach(f -> replay.remove(f.key()));
    d.flowModifies().forEach(f -> replay.put(f.key(), f));
    d.flowAdds().forEach(f -> replay.put(f.key(), f));
    assertThat(new HashSet<>(replay.values()))
        .isEqualTo(new HashSet<>(cold.flows("worker1").flows()));
    assertThat(d)
        .isEqualTo(
            TableChanges.between(before, List.of(), cold.flows("worker1").flows(), List.of()));
    assertThat(r.compiled().refreshPorts("worker1").changes()).isEmpty();
  }
}
