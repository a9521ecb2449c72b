package dev.sluice.testkit.objects;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.Map;

/** Nodes, Namespaces and running Pods built directly with fabric8's builders. */
public final class ClusterObjects {
  private ClusterObjects() {}

  /** Node {@code name} with pod CIDR {@code podCidr} and InternalIP {@code internalIp}. */
  public static Node node(String name, String podCidr, String internalIp) {
    return node(name, podCidr, internalIp, Map.of());
  }

  /**
   * {@link #node(String, String, String)} with {@code annotations} (e.g. {@code
   * sluice.dev/datapath-id}, the switch that serves the node).
   */
  public static Node node(
      String name, String podCidr, String internalIp, Map<String, String> annotations) {
    return new NodeBuilder()
        .withNewMetadata()
        .withName(name)
        .withAnnotations(annotations)
        .endMetadata()
        .withNewSpec()
        .withPodCIDR(podCidr)
        .endSpec()
        .withNewStatus()
        .addNewAddress()
        .withType("InternalIP")
        .withAddress(internalIp)
        .endAddress()
        .endStatus()
        .build();
  }

  /** Namespace {@code name} with {@code labels} (what namespace selectors match). */
  public static Namespace namespace(String name, Map<String, String> labels) {
    return new NamespaceBuilder()
        .withNewMetadata()
        .withName(name)
        .withLabels(labels)
        .endMetadata()
        .build();
  }

  /**
   * Pod {@code ns/name}, phase Running with IP {@code ip} on node {@code node}, with one container
   * ({@code c}, image {@code x}, no named ports).
   */
  public static Pod pod(
      String ns, String name, String node, String ip, Map<String, String> labels) {
    return pod(ns, name, node, ip, labels, Map.of());
  }

  /**
   * {@link #pod(String, String, String, String, Map)} with {@code annotations} (e.g. {@code
   * sluice.dev/interface}, the pod's OVS port).
   */
  public static Pod pod(
      String ns,
      String name,
      String node,
      String ip,
      Map<String, String> labels,
      Map<String, String> annotations) {
    return new PodBuilder()
        .withNewMetadata()
        .withNamespace(ns)
        .withName(name)
        .withLabels(labels)
        .withAnnotations(annotations)
        .endMetadata()
        .withNewSpec()
        .withNodeName(node)
        .withContainers(new ContainerBuilder().withName("c").withImage("x").build())
        .endSpec()
        .withNewStatus()
        .withPhase("Running")
        .withPodIP(ip)
        .endStatus()
        .build();
  }
}
