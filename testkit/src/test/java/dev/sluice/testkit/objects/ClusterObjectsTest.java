package dev.sluice.testkit.objects;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClusterObjectsTest {

  @Test
  void nodeCarriesItsPodCidrAndInternalIp() {
    Node n = ClusterObjects.node("n1", "10.10.1.0/24", "192.168.77.1");
    assertEquals("n1", n.getMetadata().getName());
    assertEquals("10.10.1.0/24", n.getSpec().getPodCIDR());
    assertEquals(1, n.getStatus().getAddresses().size());
    assertEquals("InternalIP", n.getStatus().getAddresses().get(0).getType());
    assertEquals("192.168.77.1", n.getStatus().getAddresses().get(0).getAddress());
  }

  /** No annotations is the same object as an empty map (what a builder without them makes). */
  @Test
  void noAnnotationsIsAnEmptyMap() {
    assertEquals(
        ClusterObjects.node("n1", "10.10.1.0/24", "192.168.77.1", Map.of()),
        ClusterObjects.node("n1", "10.10.1.0/24", "192.168.77.1"));
    assertEquals(
        Map.of(),
        ClusterObjects.pod("ns", "p", "n1", "10.10.1.10", Map.of()).getMetadata().getAnnotations());
    assertEquals(
        Map.of("sluice.dev/datapath-id", "a"),
        ClusterObjects.node(
                "n1", "10.10.1.0/24", "192.168.77.1", Map.of("sluice.dev/datapath-id", "a"))
            .getMetadata()
            .getAnnotations());
  }

  @Test
  void podRunsOnItsNodeWithOneContainer() {
    Pod p =
        ClusterObjects.pod(
            "ns",
            "p",
            "n1",
            "10.10.1.10",
            Map.of("app", "web"),
            Map.of("sluice.dev/interface", "n1p0"));
    assertEquals("ns", p.getMetadata().getNamespace());
    assertEquals("p", p.getMetadata().getName());
    assertEquals(Map.of("app", "web"), p.getMetadata().getLabels());
    assertEquals(Map.of("sluice.dev/interface", "n1p0"), p.getMetadata().getAnnotations());
    assertEquals("n1", p.getSpec().getNodeName());
    assertEquals(List.of("c"), p.getSpec().getContainers().stream().map(c -> c.getName()).toList());
    assertEquals("Running", p.getStatus().getPhase());
    assertEquals("10.10.1.10", p.getStatus().getPodIP());
  }

  @Test
  void namespaceCarriesItsLabels() {
    assertEquals(
        Map.of("team", "a"),
        ClusterObjects.namespace("ns-a", Map.of("team", "a")).getMetadata().getLabels());
  }
}
