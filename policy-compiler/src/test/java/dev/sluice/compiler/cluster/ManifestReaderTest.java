package dev.sluice.compiler.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.compiler.cluster.ManifestReader.Manifests;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ManifestReaderTest {

  private final ManifestReader reader = new ManifestReader();

  static Path resource(String name) {
    try {
      return Path.of(ManifestReaderTest.class.getResource("/manifests/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void readsADirectoryOfKubectlOutputInSortedOrderAndReportsUnknownKinds() {
    Manifests m = reader.read(resource("kubectl"));

    assertThat(m.objects())
        .extracting(o -> o.object().getKind() + " " + o.object().getMetadata().getName())
        .containsExactly(
            "Service backendsvc",
            "Endpoints backendsvc",
            "EndpointSlice backendsvc-x7k2p",
            "Pod frontend",
            "Node worker1",
            "Node worker2",
            "NetworkPolicy frontendpolicy",
            "NetworkPolicy everything",
            "NetworkPolicy implied");
    assertThat(m.errors()).hasSize(1);
    ManifestError e = m.errors().get(0);
    assertThat(e.source()).endsWith("deployment.yaml#0");
    assertThat(e.kind()).isEqualTo("Deployment");
    assertThat(e.name()).isEqualTo("backend");
    assertThat(e.field()).isEqualTo("kind");
    assertThat(e.message()).contains("not part of the cluster model");
  }

  @Test
  void namesSourcesByFileDocumentAndListItem() {
    Manifests m = reader.read(resource("kubectl"));

    assertThat(m.objects())
        .extracting(o -> o.source().substring(o.source().lastIndexOf("kubectl") + 8))
        .contains(
            "backendsvc.json#0/items[0]",
            "backendsvc.json#0/items[1]",
            "nodes-list.yaml#0/items[1]",
            "policies.yaml#2");
  }

  @Test
  void parsesRealKubectlPodWithManagedFieldsAndStatusNoise() {
    Manifests m = reader.read(resource("kubectl/frontend-pod.yaml"));

    assertThat(m.errors()).isEmpty();
    Pod pod = (Pod) m.items().get(0);
    assertThat(pod.getStatus().getPodIP()).isEqualTo("10.222.1.48");
    assertThat(pod.getSpec().getNodeName()).isEqualTo("worker1");
    assertThat(pod.getMetadata().getLabels()).containsEntry("role", "frontend");
  }

  @Test
  void parsesRealNetworkPolicyYaml() {
    Manifests m = reader.read(resource("kubectl/policies.yaml"));

    assertThat(m.errors()).isEmpty();
    NetworkPolicy np = (NetworkPolicy) m.items().get(1);
    assertThat(np.getSpec().getIngress().get(0).getFrom().get(2).getIpBlock().getExcept())
        .containsExactly("172.17.1.0/24");
    assertThat(np.getSpec().getIngress().get(0).getPorts().get(1).getEndPort()).isEqualTo(32768);
    assertThat(np.getSpec().getIngress().get(0).getPorts().get(0).getPort().getStrVal())
        .isEqualTo("web");
  }

  @Test
  void oneMalformedDocumentDoesNotHideTheOthers() {
    String text =
        """
        ---
        apiVersion: v1
        kind: Namespace
        metadata: {name: a}
        ---
        # only a comment: not counted
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: broken
        spec: [
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: typed}
        spec:
          containers:
          - name: c
            ports:
            - containerPort: [80]
        ---
        kind: Namespace
        metadata: {}
        ---
        apiVersion: v1
        kind: Namespace
        metadata: {name: b}
        ...
        """;

    Manifests m = reader.readString(text, "multi.yaml");

    assertThat(m.items()).extracting(o -> o.getMetadata().getName()).containsExactly("a", "b");
    assertThat(m.errors())
        .extracting(ManifestError::source, ManifestError::name, ManifestError::field)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("multi.yaml#1", "", ""),
            org.assertj.core.groups.Tuple.tuple(
                "multi.yaml#2", "typed", "spec.containers[0].ports[0].containerPort"),
            org.assertj.core.groups.Tuple.tuple("multi.yaml#3", "", "metadata.name"));
    assertThat(m.errors().get(0).message()).startsWith("malformed YAML");
  }

  @Test
  void defaultsTheNamespaceOfNamespacedObjectsLikeKubectlApply() {
    Manifests m =
        reader.readString(
            "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\"}}", "x");

    assertThat(m.items().get(0).getMetadata().getNamespace()).isEqualTo("default");
  }

  @Test
  void jsonRoundTripForKafkaValues() {
    HasMetadata node = reader.read(resource("kubectl/nodes-list.yaml")).items().get(1);

    String json = reader.toJson(node);
    Manifests back = reader.parseJson(json, "nodes/worker2@7");

    assertThat(back.errors()).isEmpty();
    assertThat(back.items()).containsExactly(node);
    assertThat(((Node) back.items().get(0)).getSpec().getPodCIDRs())
        .containsExactly("fd00:10:222:2::/64", "10.222.2.0/24");
  }

  @Test
  void parseJsonReportsGarbageWithTheSource() {
    Manifests m = reader.parseJson("{\"kind\": ", "pods/default/x@42");

    assertThat(m.items()).isEmpty();
    assertThat(m.errors())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.source()).isEqualTo("pods/default/x@42");
              assertThat(e.message()).startsWith("malformed JSON");
            });
    assertThat(reader.parseJson("[]", "s").errors()).hasSize(1);
  }

  @Test
  void jsonArraysAndYamlWithJsonDocumentsAreRead() {
    Manifests m =
        reader.readString(
            "[{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"a\"}},"
                + "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"b\"}}]",
            "arr.json");

    assertThat(m.objects())
        .extracting(ManifestReader.SourcedObject::source)
        .containsExactly("arr.json#0", "arr.json#1");
  }

  @Test
  void splitsYamlDocumentsOnlyAtSeparatorLines() {
    List<String> docs =
        ManifestReader.splitYamlDocuments("a: 1\n--- # c\nb: |\n  ---\n  x\n---\nc: 3\n");

    assertThat(docs).containsExactly("a: 1\n", "b: |\n  ---\n  x\n", "c: 3\n\n");
  }
}
