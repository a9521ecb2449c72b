package dev.sluice.compiler.pipeline;

import dev.sluice.compiler.cluster.Ipv4Cidr;

/** Conntrack marks, zones and global constants of the pipeline (docs/design.md §4). */
public final class Marks {
  private Marks() {}

  /** ct_mark of connections committed coming from the gateway: replies must go back via gw0. */
  public static final long GATEWAY_CT_MARK = 0x20;

  /** The conntrack zone of all pod traffic. */
  public static final int CT_ZONE = 65520;

  /** aa:bb:cc:dd:ee:ff, destination MAC of all traffic to a remote node's pods. */
  public static final long GLOBAL_VIRTUAL_MAC = 0xaabbccddeeffL;

  /** The Service CIDR of the seed's cluster and kubeadm's default. */
  public static final Ipv4Cidr DEFAULT_SERVICE_CIDR = Ipv4Cidr.parse("10.96.0.0/12");

  /** Name of the tunnel port (Geneve, {@code remote_ip=flow}). */
  public static final String TUNNEL_PORT = "antrea-tun0";

  /** Name of the gateway port. */
  public static final String GATEWAY_PORT = "antrea-gw0";

  /** ARP opcodes. */
  public static final int ARP_REQUEST = 1;

  /** ARP reply opcode. */
  public static final int ARP_REPLY = 2;
}
