package dev.sluice.controller.events;

import dev.sluice.compiler.cluster.ObjectKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The topic names: one compacted topic per object kind, plus the controller's own dead-letter,
 * realization and audit topics. {@link #withPrefix(String) withPrefix("sluice.")} gives the
 * defaults ({@code sluice.nodes}, {@code sluice.namespaces}, {@code sluice.pods}, {@code
 * sluice.services}, {@code sluice.endpoints}, {@code sluice.endpointslices}, {@code
 * sluice.networkpolicies}, {@code sluice.deadletter}, {@code sluice.realization}, {@code
 * sluice.audit}).
 */
public record TopicNames(
    String nodes,
    String namespaces,
    String pods,
    String services,
    String endpoints,
    String endpointSlices,
    String networkPolicies,
    String deadLetter,
    String realization,
    String audit) {

  /** The default prefix. */
  public static final String DEFAULT_PREFIX = "sluice.";

  /** Checks that every name is a legal Kafka topic name and that all are distinct. */
  public TopicNames {
    List<String> all =
        List.of(
            nodes,
            namespaces,
            pods,
            services,
            endpoints,
            endpointSlices,
            networkPolicies,
            deadLetter,
            realization,
            audit);
    for (String t : all) {
      if (t.isEmpty() || t.length() > 249 || !t.matches("[a-zA-Z0-9._-]+")) {
        throw new IllegalArgumentException("'" + t + "' is not a legal Kafka topic name");
      }
    }
    if (all.stream().distinct().count() != all.size()) {
      throw new IllegalArgumentException("topic names must be distinct: " + all);
    }
  }

  /** The defaults, {@code sluice.*}. */
  public static TopicNames defaults() {
    return withPrefix(DEFAULT_PREFIX);
  }

  /** {@code <prefix>nodes}, {@code <prefix>pods}, … (the prefix usually ends with a dot). */
  public static TopicNames withPrefix(String prefix) {
    return new TopicNames(
        prefix + "nodes",
        prefix + "namespaces",
        prefix + "pods",
        prefix + "services",
        prefix + "endpoints",
        prefix + "endpointslices",
        prefix + "networkpolicies",
        prefix + "deadletter",
        prefix + "realization",
        prefix + "audit");
  }

  /** The topic that carries objects of a kind. */
  public String topicFor(ObjectKind kind) {
    switch (kind) {
      case NODE:
        return nodes;
      case NAMESPACE:
        return namespaces;
      case POD:
        return pods;
      case SERVICE:
        return services;
      case ENDPOINTS:
        return endpoints;
      case ENDPOINT_SLICE:
        return endpointSlices;
      case NETWORK_POLICY:
        return networkPolicies;
    }
    throw new AssertionError(kind);
  }

  /** The kind a topic carries, if it is an object topic. */
  public Optional<ObjectKind> kindOf(String topic) {
    for (ObjectKind k : ObjectKind.values()) {
      if (topicFor(k).equals(topic)) {
        return Optional.of(k);
      }
    }
    return Optional.empty();
  }

  /** The object topics (compacted), in {@link ObjectKind} order. */
  public List<String> objectTopics() {
    List<String> topics = new ArrayList<>();
    for (ObjectKind k : ObjectKind.values()) {
      topics.add(topicFor(k));
    }
    return List.copyOf(topics);
  }

  /** The controller's own topics (not compacted): dead letters, realization, audit. */
  public List<String> controllerTopics() {
    return List.of(deadLetter, realization, audit);
  }
}
