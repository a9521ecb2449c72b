package dev.sluice.compiler.cluster;

import dev.sluice.compiler.cluster.EndpointsInfo.Endpoint;
import dev.sluice.compiler.cluster.ManifestError.Severity;
import dev.sluice.compiler.cluster.ManifestReader.SourcedObject;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An immutable snapshot of the valid cluster objects, keyed by kind and {@code namespace/name}
 * (iteration is always in key order, so everything derived from a snapshot is deterministic).
 *
 * <p>{@link #apply} and {@link #delete} return a new snapshot plus the {@link ManifestError}s of
 * that step, so the controller can feed Kafka events one at a time and keep the previous snapshot
 * for diffing. Rules:
 *
 * <ul>
 *   <li><b>Rejected</b> ({@link Severity#ERROR}): an object with an invalid field (bad CIDR, bad IP
 *       or MAC, unknown selector operator, …), a pod without {@code spec.nodeName} or {@code
 *       status.podIP}, a pod whose IP another pod already holds (the earlier pod stays; the later
 *       one is admitted when it is applied again after the holder is gone), a node whose pod CIDR
 *       overlaps another node's. A rejected update leaves the previous valid version in place
 *       (fail-static: a typo in a policy update never removes the policy).
 *   <li><b>Applied with a warning</b> ({@link Severity#WARNING}): references that may resolve
 *       later, because Kafka delivers kinds on separate topics in no mutual order — a pod on a node
 *       not (yet) known is kept <em>pending</em> (stored, in {@link #pendingPods()}, not in {@link
 *       #attachedPods()}) and attaches when its node appears; Endpoints or EndpointSlices of an
 *       unknown Service; a named {@code targetPort} that no selected pod defines; a pod IP outside
 *       its node's pod CIDR. {@link #unresolvedReferences()} lists the current ones of the whole
 *       snapshot.
 *   <li><b>Ignored</b> without error: host-network pods (never on {@code br-int}), terminated pods
 *       (phase Succeeded/Failed; applying one removes the earlier running version), IPv6/FQDN
 *       EndpointSlices.
 * </ul>
 *
 * <p>One bad object never affects any other. The maps are persistent ({@link PersistentSortedMap}):
 * each {@code apply} or {@code delete} of one object costs O(log n) and shares everything else with
 * the previous snapshot, which stays valid and unchanged.
 */
public final class ClusterState {

  private static final ClusterState EMPTY =
      new ClusterState(
          PersistentSortedMap.empty(),
          PersistentSortedMap.empty(),
          PersistentSortedMap.empty(),
          PersistentSortedMap.empty(),
          PersistentSortedMap.empty(),
          PersistentSortedMap.empty(),
          PersistentSortedMap.empty(),
          PersistentSortedMap.empty(),
          PersistentSortedMap.empty());

  private final PersistentSortedMap<String, NodeInfo> nodes;
  private final PersistentSortedMap<String, NamespaceInfo> namespaces;
  private final PersistentSortedMap<String, PodInfo> pods;
  private final PersistentSortedMap<Ipv4, String> podsByIp;
  // "node/interface" → pod key: the interface-name uniqueness check without scanning every pod.
  private final PersistentSortedMap<String, String> podsByInterface;
  private final PersistentSortedMap<String, ServiceInfo> services;
  private final PersistentSortedMap<String, List<Endpoint>>
      endpointsObjects; // service key → endpoints
  private final PersistentSortedMap<String, ModelConverter.Slice> slices; // slice key → slice
  private final PersistentSortedMap<String, NetworkPolicyInfo> policies;

  private ClusterState(
      PersistentSortedMap<String, NodeInfo> nodes,
      PersistentSortedMap<String, NamespaceInfo> namespaces,
      PersistentSortedMap<String, PodInfo> pods,
      PersistentSortedMap<Ipv4, String> podsByIp,
      PersistentSortedMap<String, String> podsByInterface,
      PersistentSortedMap<String, ServiceInfo> services,
      PersistentSortedMap<String, List<Endpoint>> endpointsObjects,
      PersistentSortedMap<String, ModelConverter.Slice> slices,
      PersistentSortedMap<String, NetworkPolicyInfo> policies) {
    this.nodes = nodes;
    this.namespaces = namespaces;
    this.pods = pods;
    this.podsByIp = podsByIp;
    this.podsByInterface = podsByInterface;
    this.services = services;
    this.endpointsObjects = endpointsObjects;
    this.slices = slices;
    this.policies = policies;
  }

  /** The empty cluster. */
  public static ClusterState empty() {
    return EMPTY;
  }

  /**
   * The snapshot after one step, and what went wrong in it.
   *
   * @param state the new snapshot (the same instance when nothing changed)
   * @param errors errors and warnings of this step, in input order
   */
  public record ApplyResult(ClusterState state, List<ManifestError> errors) {
    /** Copies the list. */
    public ApplyResult {
      errors = List.copyOf(errors);
    }

    /** Only the rejections. */
    public List<ManifestError> rejections() {
      return errors.stream().filter(e -> e.severity() == Severity.ERROR).toList();
    }
  }

  /** Applies (adds or replaces) one object; {@code source} labels its errors. */
  public ApplyResult apply(HasMetadata object, String source) {
    Builder b = new Builder(this);
    b.apply(object, source);
    return new ApplyResult(b.build(), b.errors);
  }

  /** Applies one object with no source label. */
  public ApplyResult apply(HasMetadata object) {
    return apply(object, "");
  }

  /** Applies objects in order (e.g. everything {@link ManifestReader#read} returned). */
  public ApplyResult applyAll(Collection<SourcedObject> objects) {
    Builder b = new Builder(this);
    for (SourcedObject o : objects) {
      b.apply(o.object(), o.source());
    }
    return new ApplyResult(b.build(), b.errors);
  }

  /** Reads a manifest file or directory and applies everything in it; read errors included. */
  public ApplyResult applyManifests(ManifestReader.Manifests manifests) {
    ApplyResult r = applyAll(manifests.objects());
    List<ManifestError> all = new ArrayList<>(manifests.errors());
    all.addAll(r.errors());
    return new ApplyResult(r.state(), all);
  }

  /**
   * Removes an object (a Kafka tombstone). Deleting what is not there is a no-op. Deleting a node
   * leaves its pods pending; deleting a pod frees its IP.
   *
   * @param namespace ignored for cluster-scoped kinds
   */
  public ApplyResult delete(ObjectKind kind, String namespace, String name) {
    Builder b = new Builder(this);
    b.delete(kind, namespace, name);
    return new ApplyResult(b.build(), b.errors);
  }

  // ---- queries ----

  /** All nodes, by name. */
  public Collection<NodeInfo> nodes() {
    return nodes.values();
  }

  /** The node called {@code name}. */
  public Optional<NodeInfo> node(String name) {
    return Optional.ofNullable(nodes.get(name));
  }

  /** All Namespace objects seen, by name. */
  public Collection<NamespaceInfo> namespaces() {
    return namespaces.values();
  }

  /**
   * The namespace called {@code name}; when no Namespace object was seen, one with only the implied
   * {@code kubernetes.io/metadata.name} label (reported by {@link #unresolvedReferences}).
   */
  public NamespaceInfo namespace(String name) {
    NamespaceInfo ns = namespaces.get(name);
    return ns != null ? ns : NamespaceInfo.implied(name);
  }

  /** Every stored pod, attached or pending, by {@code namespace/name}. */
  public Collection<PodInfo> pods() {
    return pods.values();
  }

  /** The pod {@code namespace/name}. */
  public Optional<PodInfo> pod(String namespace, String name) {
    return Optional.ofNullable(pods.get(Names.key(namespace, name)));
  }

  /** The pod holding {@code ip}. */
  public Optional<PodInfo> podByIp(Ipv4 ip) {
    String key = podsByIp.get(ip);
    return key == null ? Optional.empty() : Optional.ofNullable(pods.get(key));
  }

  /** Pods whose node is known: the ones that get flows. */
  public List<PodInfo> attachedPods() {
    return pods.values().stream().filter(p -> nodes.containsKey(p.nodeName())).toList();
  }

  /** Pods whose node is not known (yet). */
  public List<PodInfo> pendingPods() {
    return pods.values().stream().filter(p -> !nodes.containsKey(p.nodeName())).toList();
  }

  /** Pods on node {@code nodeName}, by {@code namespace/name}. */
  public List<PodInfo> podsOnNode(String nodeName) {
    return pods.values().stream().filter(p -> p.nodeName().equals(nodeName)).toList();
  }

  /** All services, by {@code namespace/name}. */
  public Collection<ServiceInfo> services() {
    return services.values();
  }

  /** The service {@code namespace/name}. */
  public Optional<ServiceInfo> service(String namespace, String name) {
    return Optional.ofNullable(services.get(Names.key(namespace, name)));
  }

  /**
   * The ready endpoints of service {@code namespace/name}: from its EndpointSlices if any exist,
   * else from its Endpoints object; empty if neither.
   */
  public Optional<EndpointsInfo> endpoints(String namespace, String serviceName) {
    String key = Names.key(namespace, serviceName);
    List<Endpoint> fromSlices = new ArrayList<>();
    boolean anySlice = false;
    for (Map.Entry<String, ModelConverter.Slice> e : slices.entrySet()) {
      if (namespaceOf(e.getKey()).equals(namespace)
          && e.getValue().serviceName().equals(serviceName)) {
        anySlice = true;
        fromSlices.addAll(e.getValue().endpoints());
      }
    }
    if (anySlice) {
      return Optional.of(new EndpointsInfo(namespace, serviceName, fromSlices));
    }
    List<Endpoint> fromEndpoints = endpointsObjects.get(key);
    return fromEndpoints == null
        ? Optional.empty()
        : Optional.of(new EndpointsInfo(namespace, serviceName, fromEndpoints));
  }

  /** Endpoints of every service that has any, by service key. */
  public List<EndpointsInfo> allEndpoints() {
    TreeMap<String, String[]> keys = new TreeMap<>();
    endpointsObjects.keySet().forEach(k -> keys.put(k, split(k)));
    slices.forEach(
        (k, s) -> {
          String ns = namespaceOf(k);
          keys.put(Names.key(ns, s.serviceName()), new String[] {ns, s.serviceName()});
        });
    List<EndpointsInfo> out = new ArrayList<>();
    for (String[] k : keys.values()) {
      endpoints(k[0], k[1]).ifPresent(out::add);
    }
    return out;
  }

  /** All network policies, by {@code namespace/name}. */
  public Collection<NetworkPolicyInfo> networkPolicies() {
    return policies.values();
  }

  /** The network policy {@code namespace/name}. */
  public Optional<NetworkPolicyInfo> networkPolicy(String namespace, String name) {
    return Optional.ofNullable(policies.get(Names.key(namespace, name)));
  }

  /**
   * Every reference of the current snapshot that does not resolve, as warnings: pods on unknown
   * nodes, pods in namespaces with no Namespace object, Endpoints/EndpointSlices of unknown
   * services, named targetPorts no selected pod defines. Sorted by kind, then object.
   */
  public List<ManifestError> unresolvedReferences() {
    List<ManifestError> out = new ArrayList<>();
    for (PodInfo p : pods.values()) {
      if (!nodes.containsKey(p.nodeName())) {
        out.add(pendingPodWarning(p, ""));
      }
      if (!namespaces.containsKey(p.namespace())) {
        out.add(
            warning(
                "",
                ObjectKind.POD,
                p.namespace(),
                p.name(),
                "metadata.namespace",
                "no Namespace object '"
                    + p.namespace()
                    + "' is known; namespaceSelectors see only"
                    + " its implied name label"));
      }
    }
    for (ServiceInfo s : services.values()) {
      out.addAll(namedTargetPortWarnings(s, ""));
    }
    for (String key : endpointsObjects.keySet()) {
      if (!services.containsKey(key)) {
        String[] k = split(key);
        out.add(unknownServiceWarning(ObjectKind.ENDPOINTS, k[0], k[1], "metadata.name", k[1], ""));
      }
    }
    for (Map.Entry<String, ModelConverter.Slice> e : slices.entrySet()) {
      String[] k = split(e.getKey());
      if (!services.containsKey(Names.key(k[0], e.getValue().serviceName()))) {
        out.add(
            unknownServiceWarning(
                ObjectKind.ENDPOINT_SLICE,
                k[0],
                k[1],
                "metadata.labels[" + ModelConverter.SERVICE_NAME_LABEL + "]",
                e.getValue().serviceName(),
                ""));
      }
    }
    return out;
  }

  private List<ManifestError> namedTargetPortWarnings(ServiceInfo s, String source) {
    List<ManifestError> out = new ArrayList<>();
    if (!s.hasSelector()) {
      return out;
    }
    List<PodInfo> selected =
        pods.values().stream()
            .filter(p -> p.namespace().equals(s.namespace()))
            .filter(p -> LabelSelector.of(s.selector()).matches(p.labels()))
            .toList();
    for (int i = 0; i < s.ports().size(); i++) {
      ServiceInfo.ServicePort port = s.ports().get(i);
      if (port.targetPort() instanceof PortRef.Named named && !selected.isEmpty()) {
        boolean defined =
            selected.stream()
                .anyMatch(p -> p.resolveNamedPort(named.name(), port.protocol()).isPresent());
        if (!defined) {
          out.add(
              warning(
                  source,
                  ObjectKind.SERVICE,
                  s.namespace(),
                  s.name(),
                  "spec.ports[" + i + "].targetPort",
                  "no pod selected by "
                      + LabelSelector.of(s.selector())
                      + " defines a "
                      + port.protocol()
                      + " container port named '"
                      + named.name()
                      + "'"));
        }
      }
    }
    return out;
  }

  private static ManifestError pendingPodWarning(PodInfo p, String source) {
    return warning(
        source,
        ObjectKind.POD,
        p.namespace(),
        p.name(),
        "spec.nodeName",
        "node '" + p.nodeName() + "' is unknown; the pod is kept pending until the node appears");
  }

  private static ManifestError unknownServiceWarning(
      ObjectKind kind, String ns, String name, String field, String service, String source) {
    return warning(
        source,
        kind,
        ns,
        name,
        field,
        "Service " + ns + "/" + service + " is unknown; endpoints are kept until it appears");
  }

  private static ManifestError warning(
      String source, ObjectKind kind, String ns, String name, String field, String message) {
    return new ManifestError(source, kind.apiKind(), ns, name, field, message, Severity.WARNING);
  }

  private static String interfaceKey(PodInfo pod) {
    return pod.nodeName() + "/" + pod.interfaceName();
  }

  private static String namespaceOf(String key) {
    return split(key)[0];
  }

  private static String[] split(String key) {
    int slash = key.indexOf('/');
    return slash < 0
        ? new String[] {"", key}
        : new String[] {key.substring(0, slash), key.substring(slash + 1)};
  }

  /** A mutable working copy; maps are copied on first write. */
  private static final class Builder {
    private final ClusterState base;
    private PersistentSortedMap<String, NodeInfo> nodes;
    private PersistentSortedMap<String, NamespaceInfo> namespaces;
    private PersistentSortedMap<String, PodInfo> pods;
    private PersistentSortedMap<Ipv4, String> podsByIp;
    private PersistentSortedMap<String, String> podsByInterface;
    private PersistentSortedMap<String, ServiceInfo> services;
    private PersistentSortedMap<String, List<Endpoint>> endpointsObjects;
    private PersistentSortedMap<String, ModelConverter.Slice> slices;
    private PersistentSortedMap<String, NetworkPolicyInfo> policies;
    final List<ManifestError> errors = new ArrayList<>();

    Builder(ClusterState base) {
      this.base = base;
      this.nodes = base.nodes;
      this.namespaces = base.namespaces;
      this.pods = base.pods;
      this.podsByIp = base.podsByIp;
      this.podsByInterface = base.podsByInterface;
      this.services = base.services;
      this.endpointsObjects = base.endpointsObjects;
      this.slices = base.slices;
      this.policies = base.policies;
    }

    ClusterState build() {
      boolean changed =
          nodes != base.nodes
              || namespaces != base.namespaces
              || pods != base.pods
              || podsByIp != base.podsByIp
              || podsByInterface != base.podsByInterface
              || services != base.services
              || endpointsObjects != base.endpointsObjects
              || slices != base.slices
              || policies != base.policies;
      if (!changed) {
        return base;
      }
      return new ClusterState(
          nodes,
          namespaces,
          pods,
          podsByIp,
          podsByInterface,
          services,
          endpointsObjects,
          slices,
          policies);
    }

    void apply(HasMetadata object, String source) {
      Optional<ObjectKind> kind = ObjectKind.of(object);
      String ns = object.getMetadata() == null ? "" : object.getMetadata().getNamespace();
      String name = object.getMetadata() == null ? "" : object.getMetadata().getName();
      if (kind.isEmpty()) {
        errors.add(
            new ManifestError(
                source,
                object.getKind(),
                ns,
                name,
                "kind",
                "kind " + object.getKind() + " is not part of the cluster model",
                Severity.ERROR));
        return;
      }
      if (name == null || name.isEmpty()) {
        errors.add(
            new ManifestError(
                source, kind.get().apiKind(), ns, "", "metadata.name", "missing", Severity.ERROR));
        return;
      }
      if (kind.get().namespaced() && (ns == null || ns.isEmpty())) {
        errors.add(
            new ManifestError(
                source,
                kind.get().apiKind(),
                "",
                name,
                "metadata.namespace",
                "missing",
                Severity.ERROR));
        return;
      }
      try {
        if (object instanceof Node n) {
          applyNode(ModelConverter.node(n), source);
        } else if (object instanceof Namespace n) {
          namespaces = namespaces.plus(name, ModelConverter.namespace(n));
        } else if (object instanceof Pod p) {
          Optional<PodInfo> pod = ModelConverter.pod(p);
          if (pod.isPresent()) {
            applyPod(pod.get(), source);
          } else {
            removePod(Names.key(ns, name));
          }
        } else if (object instanceof Service s) {
          ServiceInfo svc = ModelConverter.service(s);
          services = services.plus(svc.key(), svc);
          errors.addAll(currentView().namedTargetPortWarnings(svc, source));
        } else if (object instanceof Endpoints e) {
          List<Endpoint> eps = ModelConverter.endpoints(e);
          endpointsObjects = endpointsObjects.plus(Names.key(ns, name), List.copyOf(eps));
          if (!services.containsKey(Names.key(ns, name))) {
            errors.add(
                unknownServiceWarning(
                    ObjectKind.ENDPOINTS, ns, name, "metadata.name", name, source));
          }
        } else if (object instanceof EndpointSlice e) {
          Optional<ModelConverter.Slice> slice = ModelConverter.endpointSlice(e);
          if (slice.isPresent()) {
            slices = slices.plus(Names.key(ns, name), slice.get());
            if (!services.containsKey(Names.key(ns, slice.get().serviceName()))) {
              errors.add(
                  unknownServiceWarning(
                      ObjectKind.ENDPOINT_SLICE,
                      ns,
                      name,
                      "metadata.labels[" + ModelConverter.SERVICE_NAME_LABEL + "]",
                      slice.get().serviceName(),
                      source));
            }
          } else {
            slices = slices.minus(Names.key(ns, name));
          }
        } else if (object instanceof NetworkPolicy np) {
          NetworkPolicyInfo policy = ModelConverter.networkPolicy(np);
          policies = policies.plus(policy.key(), policy);
        }
      } catch (InvalidFieldException e) {
        errors.add(
            new ManifestError(
                source, kind.get().apiKind(), ns, name, e.field(), e.getMessage(), Severity.ERROR));
      }
    }

    private ClusterState currentView() {
      return new ClusterState(
          nodes,
          namespaces,
          pods,
          podsByIp,
          podsByInterface,
          services,
          endpointsObjects,
          slices,
          policies);
    }

    private void applyNode(NodeInfo node, String source) throws InvalidFieldException {
      for (NodeInfo other : nodes.values()) {
        if (other.name().equals(node.name())) {
          continue;
        }
        if (other.podCidr().overlaps(node.podCidr())) {
          throw new InvalidFieldException(
              "spec.podCIDR",
              node.podCidr()
                  + " overlaps pod CIDR "
                  + other.podCidr()
                  + " of Node "
                  + other.name());
        }
        if (other.internalIp().equals(node.internalIp())) {
          throw new InvalidFieldException(
              "status.addresses[type=InternalIP]",
              node.internalIp() + " is already the InternalIP of Node " + other.name());
        }
      }
      nodes = nodes.plus(node.name(), node);
    }

    private void applyPod(PodInfo pod, String source) throws InvalidFieldException {
      String key = pod.key();
      String holder = podsByIp.get(pod.ip());
      if (holder != null && !holder.equals(key)) {
        throw new InvalidFieldException(
            "status.podIP",
            pod.ip() + " is already used by Pod " + holder + " (the earlier pod keeps it)");
      }
      for (NodeInfo n : nodes.values()) {
        if (n.gatewayIp().equals(pod.ip())) {
          throw new InvalidFieldException(
              "status.podIP", pod.ip() + " is the gateway address of Node " + n.name());
        }
      }
      String ifaceHolder = podsByInterface.get(interfaceKey(pod));
      if (ifaceHolder != null && !ifaceHolder.equals(key)) {
        throw new InvalidFieldException(
            ModelConverter.annotationField(SluiceAnnotations.INTERFACE),
            "interface name '"
                + pod.interfaceName()
                + "' is already used by Pod "
                + ifaceHolder
                + " on node "
                + pod.nodeName());
      }
      removePod(key);
      pods = pods.plus(key, pod);
      podsByIp = podsByIp.plus(pod.ip(), key);
      podsByInterface = podsByInterface.plus(interfaceKey(pod), key);
      NodeInfo node = nodes.get(pod.nodeName());
      if (node == null) {
        errors.add(pendingPodWarning(pod, source));
      } else if (!node.podCidr().contains(pod.ip())) {
        errors.add(
            warning(
                source,
                ObjectKind.POD,
                pod.namespace(),
                pod.name(),
                "status.podIP",
                pod.ip()
                    + " is outside pod CIDR "
                    + node.podCidr()
                    + " of Node "
                    + node.name()
                    + "; traffic to it will not be routed there"));
      }
    }

    private void removePod(String key) {
      PodInfo old = pods.get(key);
      if (old == null) {
        return;
      }
      pods = pods.minus(key);
      if (key.equals(podsByIp.get(old.ip()))) {
        podsByIp = podsByIp.minus(old.ip());
      }
      if (key.equals(podsByInterface.get(interfaceKey(old)))) {
        podsByInterface = podsByInterface.minus(interfaceKey(old));
      }
    }

    void delete(ObjectKind kind, String namespace, String name) {
      // minus() returns the same map when the key is absent: a no-op delete changes nothing.
      String key = kind.namespaced() ? Names.key(namespace, name) : name;
      switch (kind) {
        case NODE:
          nodes = nodes.minus(key);
          break;
        case NAMESPACE:
          namespaces = namespaces.minus(key);
          break;
        case POD:
          removePod(key);
          break;
        case SERVICE:
          services = services.minus(key);
          break;
        case ENDPOINTS:
          endpointsObjects = endpointsObjects.minus(key);
          break;
        case ENDPOINT_SLICE:
          slices = slices.minus(key);
          break;
        case NETWORK_POLICY:
          policies = policies.minus(key);
          break;
        default:
          throw new AssertionError(kind);
      }
    }
  }
}
