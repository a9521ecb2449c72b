package dev.sluice.compiler.explain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.compiler.cluster.ClusterState;
import dev.sluice.compiler.cluster.ManifestReader;
import dev.sluice.compiler.cluster.PodInfo;
import dev.sluice.compiler.cluster.Protocol;
import dev.sluice.compiler.compile.CompiledCluster;
import dev.sluice.compiler.compile.CompilerConfig;
import dev.sluice.compiler.compile.PortMap;
import dev.sluice.compiler.compile.PortSource;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The seed's story in Kubernetes terms, computed from the compiled flows. */
class PolicyWhyTest {
  static CompiledCluster compiled;

  @BeforeAll
  static void compile() throws Exception {
    Path ex = Path.of("../deploy/examples/packet-walk");
    ClusterState state =
        ClusterState.empty()
            .applyManifests(new ManifestReader().read(ex.resolve("manifests")))
            .state();
    compiled =
        CompiledCluster.compileAll(
            state,
            CompilerConfig.defaults(),
            PortSource.explicit(
                Map.of(
                    "worker1", PortMap.readCsv(ex.resolve("ports-worker1.csv")),
                    "worker2", PortMap.readCsv(ex.resolve("ports-worker2.csv")))));
  }

  static PodInfo pod(String ns, String name) {
    return compiled.state().pod(ns, name).orElseThrow();
  }

  @Test
  void frontendToBackend2On80IsAllowedByBothPolicies() {
    PolicyWhy.Explanation e =
        PolicyWhy.explain(
            compiled, pod("default", "frontend"), pod("default", "backend2"), 80, Protocol.TCP);
    assertThat(e.allowed()).isTrue();
    assertThat(e.walk().hops())
        .extracting(ClusterTrace.Hop::node)
        .containsExactly("worker1", "worker2");
    assertThat(e.egressIsolatedBy()).containsExactly("NetworkPolicy default/frontendpolicy");
    assertThat(e.egressRule()).contains("frontendpolicy egress rule 0");
    assertThat(e.ingressIsolatedBy()).containsExactly("NetworkPolicy default/backendpolicy");
    assertThat(e.ingressRule()).contains("backendpolicy ingress rule 0");
  }

  @Test
  void frontendToBackend2On22IsDeniedByFrontendpolicy() {
    PolicyWhy.Explanation e =
        PolicyWhy.explain(
            compiled, pod("default", "frontend"), pod("default", "backend2"), 22, Protocol.TCP);
    assertThat(e.allowed()).isFalse();
    assertThat(String.join("\n", e.summary()))
        .contains("no egress rule of NetworkPolicy default/frontendpolicy allows it")
        .contains("table 60");
  }

  @Test
  void backend1ToBackend2IsDeniedByBackendpolicy() {
    PolicyWhy.Explanation e =
        PolicyWhy.explain(
            compiled, pod("default", "backend1"), pod("default", "backend2"), 80, Protocol.TCP);
    assertThat(e.allowed()).isFalse();
    assertThat(e.egressIsolatedBy()).containsExactly("NetworkPolicy default/backendpolicy");
    assertThat(String.join("\n", e.summary())).contains("backendpolicy").contains("DENIED");
  }

  @Test
  void unisolatedPodsTalkFreely() {
    PolicyWhy.Explanation e =
        PolicyWhy.explain(
            compiled,
            pod("kube-system", "coredns-f9fd979d6-7m2xq"),
            pod("kube-system", "antrea-octant-6d4cd5d4b4-kl8zr"),
            80,
            Protocol.TCP);
    assertThat(e.allowed()).isTrue();
    assertThat(e.walk().hops()).hasSize(1);
    assertThat(e.summary().get(0)).contains("not isolated");
  }
}
