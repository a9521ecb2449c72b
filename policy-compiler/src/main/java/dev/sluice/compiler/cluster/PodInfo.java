package dev.sluice.compiler.cluster;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A running Pod attached to a node's {@code br-int}.
 *
 * @param namespace {@code metadata.namespace}
 * @param name {@code metadata.name}
 * @param labels {@code metadata.labels}, sorted by key
 * @param nodeName {@code spec.nodeName}
 * @param ip {@code status.podIP}
 * @param mac annotation {@code sluice.dev/mac}, else {@link Derivations#podMac}
 * @param interfaceName annotation {@code sluice.dev/interface}, else {@link
 *     Derivations#interfaceName}
 * @param containerPorts every {@code spec.containers[].ports[]} entry, in manifest order
 */
public record PodInfo(
    String namespace,
    String name,
    Map<String, String> labels,
    String nodeName,
    Ipv4 ip,
    MacAddress mac,
    String interfaceName,
    List<ContainerPort> containerPorts) {

  /** Validates presence and copies collections. */
  public PodInfo {
    Names.requireName(namespace, "namespace");
    Names.requireName(name, "name");
    Names.requireName(nodeName, "nodeName");
    Names.requireName(interfaceName, "interfaceName");
    if (ip == null || mac == null) {
      throw new IllegalArgumentException("pod " + namespace + "/" + name + ": missing ip or mac");
    }
    labels = Names.sortedCopy(labels);
    containerPorts = List.copyOf(containerPorts);
  }

  /** {@code namespace/name}. */
  public String key() {
    return namespace + "/" + name;
  }

  /**
   * The port number of the container port called {@code portName} with {@code protocol}, as a
   * NetworkPolicy or Service named port resolves it on this pod (first match in manifest order).
   */
  public Optional<Integer> resolveNamedPort(String portName, Protocol protocol) {
    for (ContainerPort p : containerPorts) {
      if (portName.equals(p.name()) && p.protocol() == protocol) {
        return Optional.of(p.port());
      }
    }
    return Optional.empty();
  }

  /**
   * One container port.
   *
   * @param name the port name, or {@code null} when unnamed
   * @param port {@code containerPort}, 1..65535
   * @param protocol the protocol (TCP when absent)
   */
  public record ContainerPort(String name, int port, Protocol protocol) {
    /** Validates the port and the name. */
    public ContainerPort {
      new PortRef.Number(port);
      if (name != null) {
        new PortRef.Named(name);
      }
      if (protocol == null) {
        throw new IllegalArgumentException("protocol is missing");
      }
    }
  }
}
