package dev.sluice.compiler.cluster;

import java.util.OptionalLong;

/**
 * A Kubernetes Node as Sluice needs it: one OVS bridge, its pod subnet and tunnel endpoint.
 *
 * @param name {@code metadata.name}
 * @param podCidr {@code spec.podCIDR} (or the first IPv4 entry of {@code spec.podCIDRs})
 * @param internalIp {@code status.addresses[type=InternalIP]}, the Geneve tunnel endpoint
 * @param gatewayMac MAC of {@code antrea-gw0}: annotation {@code sluice.dev/gateway-mac} or derived
 * @param datapathId annotation {@code sluice.dev/datapath-id}, if present
 */
public record NodeInfo(
    String name,
    Ipv4Cidr podCidr,
    Ipv4 internalIp,
    MacAddress gatewayMac,
    OptionalLong datapathId) {

  /** Validates that every component is present. */
  public NodeInfo {
    Names.requireName(name, "name");
    if (podCidr == null || internalIp == null || gatewayMac == null || datapathId == null) {
      throw new IllegalArgumentException("node " + name + ": missing component");
    }
  }

  /** The gateway ({@code antrea-gw0}) IP: first host address of the pod CIDR. */
  public Ipv4 gatewayIp() {
    return Derivations.gatewayIp(podCidr);
  }
}
