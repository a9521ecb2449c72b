package dev.sluice.compiler.bench;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRuleBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRuleBuilder;
import java.util.List;
import java.util.Map;

/**
 * fabric8 NetworkPolicies for the benchmarks, built directly (no JSON round trip); Nodes,
 * Namespaces and Pods come from the test kit's {@link dev.sluice.testkit.objects.ClusterObjects}.
 */
final class BenchObjects {
  private BenchObjects() {}

  static LabelSelector selector(Map<String, String> matchLabels) {
    return new LabelSelectorBuilder().withMatchLabels(matchLabels).build();
  }

  /** An ingress rule from pods matching {@code from} (policy namespace) to TCP {@code port}. */
  static NetworkPolicyIngressRule ingressFrom(Map<String, String> from, int port) {
    return new NetworkPolicyIngressRuleBuilder()
        .addNewFrom()
        .withPodSelector(selector(from))
        .endFrom()
        .addNewPort()
        .withProtocol("TCP")
        .withPort(new IntOrString(port))
        .endPort()
        .build();
  }

  /** An egress rule to pods matching {@code to} (policy namespace) on TCP {@code port}. */
  static NetworkPolicyEgressRule egressTo(Map<String, String> to, int port) {
    return new NetworkPolicyEgressRuleBuilder()
        .addNewTo()
        .withPodSelector(selector(to))
        .endTo()
        .addNewPort()
        .withProtocol("TCP")
        .withPort(new IntOrString(port))
        .endPort()
        .build();
  }

  static NetworkPolicy policy(
      String ns,
      String name,
      Map<String, String> podSelector,
      List<NetworkPolicyIngressRule> ingress,
      List<NetworkPolicyEgressRule> egress) {
    NetworkPolicyBuilder b =
        new NetworkPolicyBuilder()
            .withNewMetadata()
            .withNamespace(ns)
            .withName(name)
            .endMetadata()
            .withNewSpec()
            .withPodSelector(selector(podSelector))
            .withIngress(ingress)
            .withEgress(egress)
            .endSpec();
    List<String> types =
        egress.isEmpty()
            ? List.of("Ingress")
            : ingress.isEmpty() ? List.of("Egress") : List.of("Ingress", "Egress");
    return new NetworkPolicyBuilder(b.build()).editSpec().withPolicyTypes(types).endSpec().build();
  }

  /** {@code 10.a.b.c}. */
  static String ip(int a, int b, int c) {
    return "10." + a + "." + b + "." + c;
  }
}
