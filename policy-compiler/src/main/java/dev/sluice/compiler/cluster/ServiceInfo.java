package dev.sluice.compiler.cluster;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A Service.
 *
 * @param namespace {@code metadata.namespace}
 * @param name {@code metadata.name}
 * @param clusterIp {@code spec.clusterIP}; empty for headless ({@code None}) and ExternalName
 *     services
 * @param ports {@code spec.ports}
 * @param selector {@code spec.selector} (equality only); empty = no selector, endpoints are managed
 *     by hand
 */
public record ServiceInfo(
    String namespace,
    String name,
    Optional<Ipv4> clusterIp,
    List<ServicePort> ports,
    Map<String, String> selector) {

  /** Validates presence and copies collections. */
  public ServiceInfo {
    Names.requireName(namespace, "namespace");
    Names.requireName(name, "name");
    if (clusterIp == null) {
      throw new IllegalArgumentException("clusterIp is null (use Optional.empty())");
    }
    ports = List.copyOf(ports);
    selector = Names.sortedCopy(selector);
  }

  /** {@code namespace/name}. */
  public String key() {
    return namespace + "/" + name;
  }

  /** Whether the service selects pods ({@code spec.selector} non-empty). */
  public boolean hasSelector() {
    return !selector.isEmpty();
  }

  /**
   * One service port.
   *
   * @param name {@code name}; may be empty for a single-port service
   * @param port {@code port}
   * @param targetPort {@code targetPort}, a number or a container-port name (defaults to {@code
   *     port})
   * @param protocol {@code protocol}
   */
  public record ServicePort(String name, int port, PortRef targetPort, Protocol protocol) {
    /** Validates the port. */
    public ServicePort {
      name = name == null ? "" : name;
      new PortRef.Number(port);
      if (targetPort == null || protocol == null) {
        throw new IllegalArgumentException("targetPort and protocol are required");
      }
    }
  }
}
