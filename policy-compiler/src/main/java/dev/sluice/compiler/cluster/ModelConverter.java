package dev.sluice.compiler.cluster;

import dev.sluice.compiler.cluster.EndpointsInfo.Endpoint;
import dev.sluice.compiler.cluster.NetworkPolicyInfo.IpBlock;
import dev.sluice.compiler.cluster.NetworkPolicyInfo.Peer;
import dev.sluice.compiler.cluster.NetworkPolicyInfo.PolicyPort;
import dev.sluice.compiler.cluster.NetworkPolicyInfo.PolicyRule;
import dev.sluice.compiler.cluster.NetworkPolicyInfo.PolicyType;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicySpec;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * fabric8 objects → the immutable cluster model. Each method either returns the model value or
 * throws {@link InvalidFieldException} naming the first bad field. Objects Sluice deliberately does
 * not model (host-network or terminated pods, non-IPv4 EndpointSlices) come back as {@code
 * Optional.empty()}.
 */
final class ModelConverter {

  /** {@code EndpointSlice} label naming the owning service. */
  static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

  private ModelConverter() {}

  // ---- Node ----

  static NodeInfo node(Node node) throws InvalidFieldException {
    String name = node.getMetadata().getName();
    var spec = node.getSpec();
    Ipv4Cidr podCidr = null;
    if (spec != null && spec.getPodCIDR() != null && !spec.getPodCIDR().isEmpty()) {
      podCidr = cidr(spec.getPodCIDR(), "spec.podCIDR");
    } else if (spec != null) {
      List<String> cidrs = spec.getPodCIDRs();
      for (int i = 0; cidrs != null && i < cidrs.size() && podCidr == null; i++) {
        if (!cidrs.get(i).contains(":")) {
          podCidr = cidr(cidrs.get(i), "spec.podCIDRs[" + i + "]");
        }
      }
    }
    if (podCidr == null) {
      throw new InvalidFieldException(
          "spec.podCIDR", "missing: Sluice needs the node's IPv4 pod CIDR");
    }
    if (podCidr.prefix() > 30) {
      throw new InvalidFieldException(
          "spec.podCIDR", podCidr + " leaves no room for a gateway and pods");
    }
    Ipv4 internalIp = null;
    var status = node.getStatus();
    if (status != null && status.getAddresses() != null) {
      List<NodeAddress> addresses = status.getAddresses();
      for (int i = 0; i < addresses.size() && internalIp == null; i++) {
        NodeAddress a = addresses.get(i);
        if ("InternalIP".equals(a.getType())
            && a.getAddress() != null
            && !a.getAddress().contains(":")) {
          internalIp = ip(a.getAddress(), "status.addresses[" + i + "].address");
        }
      }
    }
    if (internalIp == null) {
      throw new InvalidFieldException(
          "status.addresses[type=InternalIP]", "missing: the node's IPv4 tunnel endpoint");
    }
    Map<String, String> annotations = annotations(node.getMetadata());
    MacAddress gatewayMac = Derivations.gatewayMac(podCidr);
    String macText = annotations.get(SluiceAnnotations.GATEWAY_MAC);
    if (macText != null) {
      gatewayMac = unicastMac(macText, annotationField(SluiceAnnotations.GATEWAY_MAC));
    }
    OptionalLong dpid = OptionalLong.empty();
    String dpidText = annotations.get(SluiceAnnotations.DATAPATH_ID);
    if (dpidText != null) {
      dpid = OptionalLong.of(datapathId(dpidText));
    }
    return new NodeInfo(name, podCidr, internalIp, gatewayMac, dpid);
  }

  private static long datapathId(String text) throws InvalidFieldException {
    String hex = text.trim().replace(":", "");
    if (hex.startsWith("0x") || hex.startsWith("0X")) {
      hex = hex.substring(2);
    }
    if (hex.isEmpty()
        || hex.length() > 16
        || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
      throw new InvalidFieldException(
          annotationField(SluiceAnnotations.DATAPATH_ID),
          "'" + text + "' is not a datapath id (up to 16 hex digits, optional 0x)");
    }
    return Long.parseUnsignedLong(hex, 16);
  }

  // ---- Namespace ----

  static NamespaceInfo namespace(Namespace namespace) {
    return new NamespaceInfo(namespace.getMetadata().getName(), labels(namespace.getMetadata()));
  }

  // ---- Pod ----

  static Optional<PodInfo> pod(Pod pod) throws InvalidFieldException {
    ObjectMeta meta = pod.getMetadata();
    var spec = pod.getSpec();
    if (spec == null) {
      throw new InvalidFieldException("spec", "missing");
    }
    if (Boolean.TRUE.equals(spec.getHostNetwork())) {
      return Optional.empty(); // uses the node's network namespace, never attached to br-int
    }
    var status = pod.getStatus();
    String phase = status == null ? null : status.getPhase();
    if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
      return Optional.empty(); // terminated: its IP is released and may be reused
    }
    String nodeName = spec.getNodeName();
    if (nodeName == null || nodeName.isEmpty()) {
      throw new InvalidFieldException("spec.nodeName", "missing: the pod is not scheduled yet");
    }
    Ipv4 ip = null;
    if (status != null && status.getPodIP() != null && !status.getPodIP().isEmpty()) {
      if (status.getPodIP().contains(":")) {
        List<PodIP> ips = status.getPodIPs();
        for (int i = 0; ips != null && i < ips.size() && ip == null; i++) {
          String text = ips.get(i).getIp();
          if (text != null && !text.contains(":")) {
            ip = ip(text, "status.podIPs[" + i + "].ip");
          }
        }
      } else {
        ip = ip(status.getPodIP(), "status.podIP");
      }
    }
    if (ip == null) {
      throw new InvalidFieldException("status.podIP", "missing: the pod has no IPv4 address yet");
    }
    Map<String, String> annotations = annotations(meta);
    MacAddress mac = Derivations.podMac(ip);
    String macText = annotations.get(SluiceAnnotations.MAC);
    if (macText != null) {
      mac = unicastMac(macText, annotationField(SluiceAnnotations.MAC));
    }
    String iface = annotations.get(SluiceAnnotations.INTERFACE);
    if (iface != null) {
      if (iface.isEmpty()
          || iface.length() > 15
          || iface.equals(".")
          || iface.equals("..")
          || iface.chars().anyMatch(c -> c == '/' || c == ':' || Character.isWhitespace(c))) {
        throw new InvalidFieldException(
            annotationField(SluiceAnnotations.INTERFACE),
            "'" + iface + "' is not a Linux interface name (1-15 chars, no '/', ':' or space)");
      }
    } else {
      iface = Derivations.interfaceName(meta.getNamespace(), meta.getName());
    }
    List<PodInfo.ContainerPort> ports = new ArrayList<>();
    List<Container> containers = spec.getContainers() == null ? List.of() : spec.getContainers();
    for (int i = 0; i < containers.size(); i++) {
      var cports = containers.get(i).getPorts();
      for (int j = 0; cports != null && j < cports.size(); j++) {
        var p = cports.get(j);
        String field = "spec.containers[" + i + "].ports[" + j + "]";
        if (p.getContainerPort() == null) {
          throw new InvalidFieldException(field + ".containerPort", "missing");
        }
        try {
          ports.add(
              new PodInfo.ContainerPort(
                  p.getName() == null || p.getName().isEmpty() ? null : p.getName(),
                  p.getContainerPort(),
                  protocol(p.getProtocol(), field + ".protocol")));
        } catch (IllegalArgumentException e) {
          throw new InvalidFieldException(field, e);
        }
      }
    }
    return Optional.of(
        new PodInfo(
            meta.getNamespace(), meta.getName(), labels(meta), nodeName, ip, mac, iface, ports));
  }

  // ---- Service ----

  static ServiceInfo service(Service service) throws InvalidFieldException {
    ObjectMeta meta = service.getMetadata();
    var spec = service.getSpec();
    if (spec == null) {
      throw new InvalidFieldException("spec", "missing");
    }
    Optional<Ipv4> clusterIp = Optional.empty();
    String ipText = spec.getClusterIP();
    if (ipText != null
        && !ipText.isEmpty()
        && !"None".equals(ipText)
        && !"ExternalName".equals(spec.getType())) {
      if (ipText.contains(":")) {
        throw new InvalidFieldException(
            "spec.clusterIP", "'" + ipText + "': IPv6 is not supported");
      }
      clusterIp = Optional.of(ip(ipText, "spec.clusterIP"));
    }
    List<ServiceInfo.ServicePort> ports = new ArrayList<>();
    var sports =
        spec.getPorts() == null
            ? List.<io.fabric8.kubernetes.api.model.ServicePort>of()
            : spec.getPorts();
    for (int i = 0; i < sports.size(); i++) {
      var p = sports.get(i);
      String field = "spec.ports[" + i + "]";
      if (p.getPort() == null) {
        throw new InvalidFieldException(field + ".port", "missing");
      }
      PortRef target =
          p.getTargetPort() == null
              ? numericPort(p.getPort(), field + ".port")
              : portRef(p.getTargetPort(), field + ".targetPort");
      try {
        ports.add(
            new ServiceInfo.ServicePort(
                p.getName(), p.getPort(), target, protocol(p.getProtocol(), field + ".protocol")));
      } catch (IllegalArgumentException e) {
        throw new InvalidFieldException(field + ".port", e);
      }
    }
    Map<String, String> selector = spec.getSelector() == null ? Map.of() : spec.getSelector();
    return new ServiceInfo(meta.getNamespace(), meta.getName(), clusterIp, ports, selector);
  }

  // ---- Endpoints / EndpointSlice ----

  /** The ready IPv4 endpoints of an Endpoints object (named like its service). */
  static List<Endpoint> endpoints(Endpoints endpoints) throws InvalidFieldException {
    List<Endpoint> out = new ArrayList<>();
    List<EndpointSubset> subsets =
        endpoints.getSubsets() == null ? List.of() : endpoints.getSubsets();
    for (int i = 0; i < subsets.size(); i++) {
      EndpointSubset s = subsets.get(i);
      List<EndpointAddress> addresses = s.getAddresses() == null ? List.of() : s.getAddresses();
      var ports =
          s.getPorts() == null
              ? List.<io.fabric8.kubernetes.api.model.EndpointPort>of()
              : s.getPorts();
      for (int j = 0; j < addresses.size(); j++) {
        EndpointAddress a = addresses.get(j);
        String field = "subsets[" + i + "].addresses[" + j + "].ip";
        if (a.getIp() != null && a.getIp().contains(":")) {
          continue; // IPv6 endpoint in a dual-stack cluster: not modelled
        }
        Ipv4 ip = ip(a.getIp(), field);
        for (int k = 0; k < ports.size(); k++) {
          var p = ports.get(k);
          String pfield = "subsets[" + i + "].ports[" + k + "]";
          if (p.getPort() == null) {
            throw new InvalidFieldException(pfield + ".port", "missing");
          }
          try {
            out.add(
                new Endpoint(
                    ip,
                    p.getName(),
                    p.getPort(),
                    protocol(p.getProtocol(), pfield + ".protocol"),
                    Optional.ofNullable(a.getNodeName())));
          } catch (IllegalArgumentException e) {
            throw new InvalidFieldException(pfield + ".port", e);
          }
        }
      }
    }
    return out;
  }

  /** A slice's service and ready IPv4 endpoints; empty for non-IPv4 slices. */
  record Slice(String serviceName, List<Endpoint> endpoints) {}

  static Optional<Slice> endpointSlice(EndpointSlice slice) throws InvalidFieldException {
    if (!"IPv4".equals(slice.getAddressType())) {
      if (slice.getAddressType() == null) {
        throw new InvalidFieldException("addressType", "missing");
      }
      return Optional.empty(); // IPv6 or FQDN: not modelled
    }
    String service = labels(slice.getMetadata()).get(SERVICE_NAME_LABEL);
    if (service == null || service.isEmpty()) {
      throw new InvalidFieldException(
          "metadata.labels[" + SERVICE_NAME_LABEL + "]", "missing: the slice names no service");
    }
    List<Endpoint> out = new ArrayList<>();
    var endpoints =
        slice.getEndpoints() == null
            ? List.<io.fabric8.kubernetes.api.model.discovery.v1.Endpoint>of()
            : slice.getEndpoints();
    var ports =
        slice.getPorts() == null
            ? List.<io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort>of()
            : slice.getPorts();
    for (int i = 0; i < endpoints.size(); i++) {
      var e = endpoints.get(i);
      // conditions.ready: nil means "unknown" and consumers must treat it as ready (API docs).
      if (e.getConditions() != null && Boolean.FALSE.equals(e.getConditions().getReady())) {
        continue;
      }
      List<String> addresses = e.getAddresses() == null ? List.of() : e.getAddresses();
      for (int j = 0; j < addresses.size(); j++) {
        Ipv4 ip = ip(addresses.get(j), "endpoints[" + i + "].addresses[" + j + "]");
        for (int k = 0; k < ports.size(); k++) {
          var p = ports.get(k);
          if (p.getPort() == null) {
            continue; // a nil port means "all ports": nothing a Service port can map to
          }
          String pfield = "ports[" + k + "]";
          try {
            out.add(
                new Endpoint(
                    ip,
                    p.getName(),
                    p.getPort(),
                    protocol(p.getProtocol(), pfield + ".protocol"),
                    Optional.ofNullable(e.getNodeName())));
          } catch (IllegalArgumentException ex) {
            throw new InvalidFieldException(pfield + ".port", ex);
          }
        }
      }
    }
    return Optional.of(new Slice(service, out));
  }

  // ---- NetworkPolicy ----

  static NetworkPolicyInfo networkPolicy(NetworkPolicy policy) throws InvalidFieldException {
    ObjectMeta meta = policy.getMetadata();
    NetworkPolicySpec spec = policy.getSpec();
    if (spec == null) {
      throw new InvalidFieldException("spec", "missing");
    }
    LabelSelector podSelector =
        spec.getPodSelector() == null
            ? LabelSelector.everything()
            : selector(spec.getPodSelector(), "spec.podSelector");
    List<PolicyRule> ingress = new ArrayList<>();
    var ing =
        spec.getIngress() == null
            ? List.<io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule>of()
            : spec.getIngress();
    for (int i = 0; i < ing.size(); i++) {
      String field = "spec.ingress[" + i + "]";
      ingress.add(
          new PolicyRule(
              peers(ing.get(i).getFrom(), field + ".from"),
              ports(ing.get(i).getPorts(), field + ".ports")));
    }
    List<PolicyRule> egress = new ArrayList<>();
    var eg =
        spec.getEgress() == null
            ? List.<io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule>of()
            : spec.getEgress();
    for (int i = 0; i < eg.size(); i++) {
      String field = "spec.egress[" + i + "]";
      egress.add(
          new PolicyRule(
              peers(eg.get(i).getTo(), field + ".to"),
              ports(eg.get(i).getPorts(), field + ".ports")));
    }
    List<String> typeNames = spec.getPolicyTypes() == null ? List.of() : spec.getPolicyTypes();
    Set<PolicyType> types = EnumSet.noneOf(PolicyType.class);
    for (int i = 0; i < typeNames.size(); i++) {
      try {
        types.add(PolicyType.parse(typeNames.get(i)));
      } catch (IllegalArgumentException e) {
        throw new InvalidFieldException("spec.policyTypes[" + i + "]", e);
      }
    }
    boolean implied = types.isEmpty();
    if (implied) {
      types = NetworkPolicyInfo.impliedPolicyTypes(egress);
    }
    return new NetworkPolicyInfo(
        meta.getNamespace(), meta.getName(), podSelector, types, implied, ingress, egress);
  }

  private static List<Peer> peers(List<NetworkPolicyPeer> peers, String field)
      throws InvalidFieldException {
    List<Peer> out = new ArrayList<>();
    for (int j = 0; peers != null && j < peers.size(); j++) {
      NetworkPolicyPeer p = peers.get(j);
      String pfield = field + "[" + j + "]";
      Optional<LabelSelector> pods =
          p.getPodSelector() == null
              ? Optional.empty()
              : Optional.of(selector(p.getPodSelector(), pfield + ".podSelector"));
      Optional<LabelSelector> namespaces =
          p.getNamespaceSelector() == null
              ? Optional.empty()
              : Optional.of(selector(p.getNamespaceSelector(), pfield + ".namespaceSelector"));
      Optional<IpBlock> block = Optional.empty();
      if (p.getIpBlock() != null) {
        var b = p.getIpBlock();
        Ipv4Cidr cidr = cidr(b.getCidr(), pfield + ".ipBlock.cidr");
        List<Ipv4Cidr> except = new ArrayList<>();
        List<String> exceptText = b.getExcept() == null ? List.of() : b.getExcept();
        for (int k = 0; k < exceptText.size(); k++) {
          String efield = pfield + ".ipBlock.except[" + k + "]";
          Ipv4Cidr e = cidr(exceptText.get(k), efield);
          if (!cidr.contains(e) || e.equals(cidr)) {
            throw new InvalidFieldException(
                efield, e + " is not a strict subset of the ipBlock cidr " + cidr);
          }
          except.add(e);
        }
        block = Optional.of(new IpBlock(cidr, except));
      }
      try {
        out.add(new Peer(pods, namespaces, block));
      } catch (IllegalArgumentException e) {
        throw new InvalidFieldException(pfield, e);
      }
    }
    return out;
  }

  private static List<PolicyPort> ports(
      List<io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort> ports, String field)
      throws InvalidFieldException {
    List<PolicyPort> out = new ArrayList<>();
    for (int j = 0; ports != null && j < ports.size(); j++) {
      var p = ports.get(j);
      String pfield = field + "[" + j + "]";
      Protocol protocol = protocol(p.getProtocol(), pfield + ".protocol");
      Optional<PortRef> port =
          p.getPort() == null
              ? Optional.empty()
              : Optional.of(portRef(p.getPort(), pfield + ".port"));
      try {
        out.add(new PolicyPort(protocol, port, Optional.ofNullable(p.getEndPort())));
      } catch (IllegalArgumentException e) {
        throw new InvalidFieldException(pfield + ".endPort", e);
      }
    }
    return out;
  }

  static LabelSelector selector(io.fabric8.kubernetes.api.model.LabelSelector s, String field)
      throws InvalidFieldException {
    Map<String, String> labels = s.getMatchLabels() == null ? Map.of() : s.getMatchLabels();
    for (Map.Entry<String, String> e : labels.entrySet()) {
      if (e.getValue() == null) {
        throw new InvalidFieldException(
            field + ".matchLabels[" + e.getKey() + "]", "value is missing");
      }
    }
    List<LabelSelector.Requirement> requirements = new ArrayList<>();
    List<LabelSelectorRequirement> exprs =
        s.getMatchExpressions() == null ? List.of() : s.getMatchExpressions();
    for (int i = 0; i < exprs.size(); i++) {
      LabelSelectorRequirement r = exprs.get(i);
      String efield = field + ".matchExpressions[" + i + "]";
      LabelSelector.Operator op;
      try {
        op = LabelSelector.Operator.parse(r.getOperator());
      } catch (IllegalArgumentException e) {
        throw new InvalidFieldException(efield + ".operator", e);
      }
      try {
        requirements.add(
            new LabelSelector.Requirement(
                r.getKey(),
                op,
                r.getValues() == null ? Set.of() : new java.util.TreeSet<>(r.getValues())));
      } catch (IllegalArgumentException e) {
        throw new InvalidFieldException(efield, e);
      }
    }
    return new LabelSelector(labels, requirements);
  }

  // ---- helpers ----

  static Ipv4 ip(String text, String field) throws InvalidFieldException {
    try {
      return Ipv4.parse(text);
    } catch (IllegalArgumentException e) {
      throw new InvalidFieldException(field, e);
    }
  }

  static Ipv4Cidr cidr(String text, String field) throws InvalidFieldException {
    if (text != null && text.contains(":")) {
      throw new InvalidFieldException(
          field, "'" + text + "' is IPv6; Sluice models IPv4 clusters only");
    }
    try {
      return Ipv4Cidr.parse(text);
    } catch (IllegalArgumentException e) {
      throw new InvalidFieldException(field, e);
    }
  }

  private static MacAddress unicastMac(String text, String field) throws InvalidFieldException {
    MacAddress mac;
    try {
      mac = MacAddress.parse(text.trim());
    } catch (IllegalArgumentException e) {
      throw new InvalidFieldException(field, e);
    }
    if (mac.isMulticast() || mac.bits() == 0) {
      throw new InvalidFieldException(field, mac + " is not a unicast MAC address");
    }
    return mac;
  }

  private static Protocol protocol(String text, String field) throws InvalidFieldException {
    try {
      return Protocol.parse(text);
    } catch (IllegalArgumentException e) {
      throw new InvalidFieldException(field, e);
    }
  }

  private static PortRef portRef(IntOrString value, String field) throws InvalidFieldException {
    if (value.getIntVal() != null) {
      return numericPort(value.getIntVal(), field);
    }
    String s = value.getStrVal();
    if (s != null && !s.isEmpty() && s.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return numericPort(Integer.parseInt(s), field); // "80" written as a string
    }
    try {
      return PortRef.named(s);
    } catch (IllegalArgumentException e) {
      throw new InvalidFieldException(field, e);
    }
  }

  private static PortRef numericPort(int port, String field) throws InvalidFieldException {
    try {
      return PortRef.of(port);
    } catch (IllegalArgumentException e) {
      throw new InvalidFieldException(field, e);
    }
  }

  static Map<String, String> labels(ObjectMeta meta) {
    return meta.getLabels() == null ? Map.of() : meta.getLabels();
  }

  private static Map<String, String> annotations(ObjectMeta meta) {
    return meta.getAnnotations() == null ? Map.of() : meta.getAnnotations();
  }

  static String annotationField(String annotation) {
    return "metadata.annotations[" + annotation + "]";
  }
}
