package dev.sluice.compiler.cluster;

import java.util.List;
import java.util.Optional;

/**
 * The ready endpoints of one Service, merged from its {@code Endpoints} object or from its {@code
 * EndpointSlice}s (slices win when both exist, as kube-proxy does). Sorted by IP, then port.
 *
 * @param namespace the service's namespace
 * @param serviceName the service's name
 * @param endpoints ready IPv4 endpoints, sorted and de-duplicated
 */
public record EndpointsInfo(String namespace, String serviceName, List<Endpoint> endpoints) {

  /** Validates presence; sorts and de-duplicates the endpoints. */
  public EndpointsInfo {
    Names.requireName(namespace, "namespace");
    Names.requireName(serviceName, "serviceName");
    endpoints = endpoints.stream().distinct().sorted().toList();
  }

  /** {@code namespace/serviceName}. */
  public String key() {
    return namespace + "/" + serviceName;
  }

  /**
   * One (address, port) of a service.
   *
   * @param ip the endpoint address
   * @param portName the port name (matches {@code ServicePort.name}); empty when unnamed
   * @param port the port number on the endpoint
   * @param protocol the protocol
   * @param nodeName the node the endpoint lives on, when the object says
   */
  public record Endpoint(
      Ipv4 ip, String portName, int port, Protocol protocol, Optional<String> nodeName)
      implements Comparable<Endpoint> {

    /** Validates presence and the port range. */
    public Endpoint {
      if (ip == null || protocol == null || nodeName == null) {
        throw new IllegalArgumentException("ip, protocol and nodeName (Optional) are required");
      }
      portName = portName == null ? "" : portName;
      new PortRef.Number(port);
    }

    @Override
    public int compareTo(Endpoint o) {
      int c = ip.compareTo(o.ip);
      if (c == 0) {
        c = Integer.compare(port, o.port);
      }
      if (c == 0) {
        c = protocol.compareTo(o.protocol);
      }
      if (c == 0) {
        c = portName.compareTo(o.portName);
      }
      if (c == 0) {
        c = nodeName.orElse("").compareTo(o.nodeName.orElse(""));
      }
      return c;
    }
  }
}
