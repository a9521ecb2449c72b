package dev.sluice.compiler.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ObjectKeyTest {
  private static HasMetadata parse(String yaml) {
    return new ManifestReader().readString(yaml, "test").items().get(0);
  }

  @Test
  void namespacedObjectIsKeyedNamespaceSlashName() {
    HasMetadata policy =
        parse(
            "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\n"
                + "metadata: {name: frontendpolicy, namespace: default}\nspec: {podSelector: {}}\n");
    ObjectKey key = ObjectKey.of(policy);
    assertThat(key.kind()).isEqualTo(ObjectKind.NETWORK_POLICY);
    assertThat(key.key()).isEqualTo("default/frontendpolicy");
    assertThat(key.resourceRef())
        .isEqualTo("networkpolicy.networking.k8s.io/default/frontendpolicy");
  }

  @Test
  void namespacedObjectWithoutNamespaceLandsInDefault() {
    HasMetadata pod = parse("apiVersion: v1\nkind: Pod\nmetadata: {name: frontend}\n");
    assertThat(ObjectKey.of(pod).key()).isEqualTo("default/frontend");
    assertThat(ObjectKey.of(pod).resourceRef()).isEqualTo("pod/default/frontend");
  }

  @Test
  void clusterScopedObjectIsKeyedByNameAlone() {
    HasMetadata node = parse("apiVersion: v1\nkind: Node\nmetadata: {name: worker1}\n");
    assertThat(ObjectKey.of(node).key()).isEqualTo("worker1");
    assertThat(ObjectKey.of(node).resourceRef()).isEqualTo("node/worker1");
    HasMetadata slice =
        parse(
            "apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\naddressType: IPv4\n"
                + "metadata: {name: s-1, namespace: web}\n");
    assertThat(ObjectKey.of(slice).resourceRef())
        .isEqualTo("endpointslice.discovery.k8s.io/web/s-1");
  }

  @ParameterizedTest
  @CsvSource({"POD, default/frontend", "NODE, worker1", "NAMESPACE, kube-system"})
  void parseIsTheInverseOfKey(ObjectKind kind, String key) {
    assertThat(ObjectKey.parse(kind, key).key()).isEqualTo(key);
  }

  @ParameterizedTest
  @CsvSource({"POD, frontend", "POD, /frontend", "POD, default/", "POD, a/b/c", "NODE, x/worker1"})
  void malformedKeysAreRefused(ObjectKind kind, String key) {
    assertThatThrownBy(() -> ObjectKey.parse(kind, key))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
