package dev.sluice.compiler.cluster;

import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.util.Optional;

/** The Kubernetes kinds the cluster model reads, with the fabric8 class each is parsed into. */
public enum ObjectKind {
  NODE("Node", false, Node.class),
  NAMESPACE("Namespace", false, Namespace.class),
  POD("Pod", true, Pod.class),
  SERVICE("Service", true, Service.class),
  ENDPOINTS("Endpoints", true, Endpoints.class),
  ENDPOINT_SLICE("EndpointSlice", true, EndpointSlice.class),
  NETWORK_POLICY("NetworkPolicy", true, NetworkPolicy.class);

  private final String apiKind;
  private final boolean namespaced;
  private final Class<? extends HasMetadata> modelClass;

  ObjectKind(String apiKind, boolean namespaced, Class<? extends HasMetadata> modelClass) {
    this.apiKind = apiKind;
    this.namespaced = namespaced;
    this.modelClass = modelClass;
  }

  /** The {@code kind:} value ({@code NetworkPolicy}). */
  public String apiKind() {
    return apiKind;
  }

  /** Whether objects of this kind live in a namespace. */
  public boolean namespaced() {
    return namespaced;
  }

  /** The fabric8 model class. */
  public Class<? extends HasMetadata> modelClass() {
    return modelClass;
  }

  /** The kind for a {@code kind:} value, if the model reads it. */
  public static Optional<ObjectKind> fromApiKind(String kind) {
    for (ObjectKind k : values()) {
      if (k.apiKind.equals(kind)) {
        return Optional.of(k);
      }
    }
    return Optional.empty();
  }

  /** The kind of a parsed object, if the model reads it. */
  public static Optional<ObjectKind> of(HasMetadata object) {
    for (ObjectKind k : values()) {
      if (k.modelClass.isInstance(object)) {
        return Optional.of(k);
      }
    }
    return Optional.empty();
  }
}
