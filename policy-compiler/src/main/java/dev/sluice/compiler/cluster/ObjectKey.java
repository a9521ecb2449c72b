package dev.sluice.compiler.cluster;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Locale;

/**
 * The identity of a cluster object on the stream: its kind (the topic) and its record key, {@code
 * namespace/name} for namespaced kinds and {@code name} for cluster-scoped ones.
 *
 * @param kind the kind
 * @param namespace the namespace; empty exactly when the kind is cluster-scoped
 * @param name the name, not empty, without {@code '/'}
 */
public record ObjectKey(ObjectKind kind, String namespace, String name) {
  /** Checks that the namespace matches the kind's scope. */
  public ObjectKey {
    if (name.isEmpty() || name.indexOf('/') >= 0) {
      throw new IllegalArgumentException(kind.apiKind() + " name '" + name + "' is not valid");
    }
    if (kind.namespaced() && (namespace.isEmpty() || namespace.indexOf('/') >= 0)) {
      throw new IllegalArgumentException(
          kind.apiKind() + " " + name + ": namespace '" + namespace + "' is not valid");
    }
    if (!kind.namespaced() && !namespace.isEmpty()) {
      throw new IllegalArgumentException(
          kind.apiKind() + " is cluster-scoped but has namespace '" + namespace + "'");
    }
  }

  /**
   * The key of an object as read by the manifest reader (which fills in {@code default} for a
   * namespaced object without namespace; a namespace on a cluster-scoped object is ignored, as the
   * API server does).
   *
   * @throws IllegalArgumentException if the object is of a kind the model does not read or has no
   *     name
   */
  public static ObjectKey of(HasMetadata object) {
    ObjectKind kind =
        ObjectKind.of(object)
            .orElseThrow(
                () -> new IllegalArgumentException("kind " + object.getKind() + " is not read"));
    String name = object.getMetadata() == null ? null : object.getMetadata().getName();
    String ns = object.getMetadata() == null ? null : object.getMetadata().getNamespace();
    if (!kind.namespaced()) {
      ns = "";
    } else if (ns == null || ns.isEmpty()) {
      ns = "default";
    }
    return new ObjectKey(kind, ns, name == null ? "" : name);
  }

  /**
   * Parses a record key.
   *
   * @throws IllegalArgumentException if the key does not have the shape the kind needs
   */
  public static ObjectKey parse(ObjectKind kind, String key) {
    int slash = key.indexOf('/');
    if (kind.namespaced()) {
      if (slash < 0) {
        throw new IllegalArgumentException(
            "key '" + key + "' of a " + kind.apiKind() + " must be namespace/name");
      }
      return new ObjectKey(kind, key.substring(0, slash), key.substring(slash + 1));
    }
    if (slash >= 0) {
      throw new IllegalArgumentException(
          "key '" + key + "' of a cluster-scoped " + kind.apiKind() + " must be a bare name");
    }
    return new ObjectKey(kind, "", key);
  }

  /** The record key: {@code namespace/name} or {@code name}. */
  public String key() {
    return namespace.isEmpty() ? name : namespace + "/" + name;
  }

  /**
   * The resource type as {@code kubectl apply} prints it, {@code kind[.group]} in lower case:
   * {@code pod}, {@code networkpolicy.networking.k8s.io}.
   */
  public static String resourceType(ObjectKind kind) {
    String singular = kind.apiKind().toLowerCase(Locale.ROOT);
    String group = apiGroup(kind);
    return group.isEmpty() ? singular : singular + "." + group;
  }

  /**
   * How {@code sluice apply} names the object in its output: {@code
   * networkpolicy.networking.k8s.io/default/frontendpolicy}, {@code node/k8s-node-worker-1}.
   */
  public String resourceRef() {
    return resourceType(kind) + "/" + key();
  }

  /** The API group of a kind, empty for the core group. */
  static String apiGroup(ObjectKind kind) {
    switch (kind) {
      case NETWORK_POLICY:
        return "networking.k8s.io";
      case ENDPOINT_SLICE:
        return "discovery.k8s.io";
      default:
        return "";
    }
  }

  /** {@code Kind key}, as log lines name it: {@code Pod default/frontend}. */
  @Override
  public String toString() {
    return kind.apiKind() + " " + key();
  }
}
