package dev.sluice.compiler.cluster;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The deterministic defaults Sluice derives when a manifest does not carry the corresponding {@link
 * SluiceAnnotations annotation}. Documented in {@code docs/cluster-model.md}.
 */
public final class Derivations {

  /** Characters of the pod name kept in front of the hash (Antrea's interfacePrefixLength). */
  static final int INTERFACE_PREFIX_LENGTH = 8;

  /** Hex digits of the hash (Antrea's interfaceKeyLength); 8 + 1 + 6 = 15 = IFNAMSIZ - 1. */
  static final int INTERFACE_HASH_LENGTH = 6;

  private Derivations() {}

  /**
   * The pod's OVS interface name: the first 8 characters of the pod name with leading {@code '-'}
   * removed, then {@code '-'}, then the first 6 hex digits of SHA-1 over {@code
   * "<namespace>/<name>"} (UTF-8). A name of 8 characters or fewer is kept whole and still gets the
   * hash ({@code x/web} → {@code web-6ad978}). The result is at most 15 characters, the Linux
   * interface-name limit.
   *
   * <p>Antrea uses the same shape ({@code frontend-a3ba2f}, {@code coredns--3e3abf}) but hashes a
   * key that includes the container id, which a manifest does not carry; Sluice's hash therefore
   * differs from a real Antrea node's, and manifests that must reproduce a real node carry {@link
   * SluiceAnnotations#INTERFACE}.
   */
  public static String interfaceName(String namespace, String name) {
    String prefix = name;
    if (name.length() > INTERFACE_PREFIX_LENGTH) {
      prefix = name.substring(0, INTERFACE_PREFIX_LENGTH);
      int i = 0;
      while (i < prefix.length() && prefix.charAt(i) == '-') {
        i++;
      }
      prefix = prefix.substring(i);
    }
    return prefix + "-" + sha1Hex(namespace + "/" + name).substring(0, INTERFACE_HASH_LENGTH);
  }

  /** A pod's MAC when {@link SluiceAnnotations#MAC} is absent: {@code 0a:58:} + the IPv4 octets. */
  public static MacAddress podMac(Ipv4 podIp) {
    return MacAddress.derivedFrom(podIp);
  }

  /**
   * The gateway ({@code antrea-gw0}) address of a node: the first host address of its pod CIDR
   * ({@code 10.222.1.0/24} → {@code 10.222.1.1}), as Antrea and the CNI host-local IPAM use.
   */
  public static Ipv4 gatewayIp(Ipv4Cidr podCidr) {
    return podCidr.network().plus(1);
  }

  /**
   * A node's gateway MAC when {@link SluiceAnnotations#GATEWAY_MAC} is absent: {@code 0a:58:} + the
   * gateway IP's octets, the same rule as for pods (the Kubernetes bridge plugin gives its {@code
   * cni0} bridge such a MAC too). It cannot collide with a pod's derived MAC, since no pod may hold
   * the gateway IP.
   */
  public static MacAddress gatewayMac(Ipv4Cidr podCidr) {
    return MacAddress.derivedFrom(gatewayIp(podCidr));
  }

  static String sha1Hex(String text) {
    try {
      MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
      return HexFormat.of().formatHex(sha1.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JRE provides SHA-1", e);
    }
  }
}
