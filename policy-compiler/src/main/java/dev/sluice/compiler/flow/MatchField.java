package dev.sluice.compiler.flow;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The match fields Sluice uses, in the order {@code ovs-ofctl} prints them (OVS {@code
 * match_format()}): metadata-like fields first, then the {@code dl_type}/{@code nw_proto}
 * shorthand, registers, tunnel fields, {@code in_port}, Ethernet, L3, L4.
 *
 * <p>Each field knows its {@code ovs-ofctl} name, its NXM/OXM name as used in {@code load:} and
 * {@code move:} subfields, its width in bits and its prerequisite. Wire encodings live in the
 * southbound codec, not here.
 */
public enum MatchField {
  PKT_MARK("pkt_mark", "NXM_NX_PKT_MARK", 32, Prereq.NONE),
  CONJ_ID("conj_id", null, 32, Prereq.NONE),
  CT_STATE("ct_state", "NXM_NX_CT_STATE", 32, Prereq.NONE),
  CT_ZONE("ct_zone", "NXM_NX_CT_ZONE", 16, Prereq.NONE),
  CT_MARK("ct_mark", "NXM_NX_CT_MARK", 32, Prereq.NONE),
  CT_LABEL("ct_label", "NXM_NX_CT_LABEL", 128, Prereq.NONE),
  ETH_TYPE("dl_type", "NXM_OF_ETH_TYPE", 16, Prereq.NONE),
  REG0("reg0", "NXM_NX_REG0", 32, Prereq.NONE),
  REG1("reg1", "NXM_NX_REG1", 32, Prereq.NONE),
  REG2("reg2", "NXM_NX_REG2", 32, Prereq.NONE),
  REG3("reg3", "NXM_NX_REG3", 32, Prereq.NONE),
  REG4("reg4", "NXM_NX_REG4", 32, Prereq.NONE),
  REG5("reg5", "NXM_NX_REG5", 32, Prereq.NONE),
  REG6("reg6", "NXM_NX_REG6", 32, Prereq.NONE),
  REG7("reg7", "NXM_NX_REG7", 32, Prereq.NONE),
  REG8("reg8", "NXM_NX_REG8", 32, Prereq.NONE),
  REG9("reg9", "NXM_NX_REG9", 32, Prereq.NONE),
  REG10("reg10", "NXM_NX_REG10", 32, Prereq.NONE),
  REG11("reg11", "NXM_NX_REG11", 32, Prereq.NONE),
  REG12("reg12", "NXM_NX_REG12", 32, Prereq.NONE),
  REG13("reg13", "NXM_NX_REG13", 32, Prereq.NONE),
  REG14("reg14", "NXM_NX_REG14", 32, Prereq.NONE),
  REG15("reg15", "NXM_NX_REG15", 32, Prereq.NONE),
  TUN_ID("tun_id", "NXM_NX_TUN_ID", 64, Prereq.NONE),
  TUN_SRC("tun_src", "NXM_NX_TUN_IPV4_SRC", 32, Prereq.NONE),
  TUN_DST("tun_dst", "NXM_NX_TUN_IPV4_DST", 32, Prereq.NONE),
  /** Geneve option mapped by the bridge's TLV map; Antrea maps 4 bytes (32 bits). */
  TUN_METADATA0("tun_metadata0", "NXM_NX_TUN_METADATA0", 32, Prereq.NONE),
  METADATA("metadata", "OXM_OF_METADATA", 64, Prereq.NONE),
  IN_PORT("in_port", "NXM_OF_IN_PORT", 32, Prereq.NONE),
  ETH_SRC("dl_src", "NXM_OF_ETH_SRC", 48, Prereq.NONE),
  ETH_DST("dl_dst", "NXM_OF_ETH_DST", 48, Prereq.NONE),
  IPV4_SRC("nw_src", "NXM_OF_IP_SRC", 32, Prereq.IP),
  IPV4_DST("nw_dst", "NXM_OF_IP_DST", 32, Prereq.IP),
  ARP_SPA("arp_spa", "NXM_OF_ARP_SPA", 32, Prereq.ARP),
  ARP_TPA("arp_tpa", "NXM_OF_ARP_TPA", 32, Prereq.ARP),
  IP_PROTO("nw_proto", "NXM_OF_IP_PROTO", 8, Prereq.IP),
  ARP_OP("arp_op", "NXM_OF_ARP_OP", 16, Prereq.ARP),
  ARP_SHA("arp_sha", "NXM_NX_ARP_SHA", 48, Prereq.ARP),
  ARP_THA("arp_tha", "NXM_NX_ARP_THA", 48, Prereq.ARP),
  IP_DSCP("nw_tos", "NXM_OF_IP_TOS", 8, Prereq.IP),
  NW_TTL("nw_ttl", "NXM_NX_IP_TTL", 8, Prereq.IP),
  ICMP_TYPE("icmp_type", "NXM_OF_ICMP_TYPE", 8, Prereq.ICMP),
  ICMP_CODE("icmp_code", "NXM_OF_ICMP_CODE", 8, Prereq.ICMP),
  TP_SRC("tp_src", "NXM_OF_TCP_SRC", 16, Prereq.L4),
  TP_DST("tp_dst", "NXM_OF_TCP_DST", 16, Prereq.L4);

  /** What must also be matched for OVS to accept (rather than silently drop) the field. */
  public enum Prereq {
    NONE,
    IP,
    ARP,
    ICMP,
    L4
  }

  private static final Map<String, MatchField> BY_NAME = new HashMap<>();

  static {
    for (MatchField f : values()) {
      BY_NAME.put(f.ovsName, f);
      if (f.nxmName != null) {
        BY_NAME.put(f.nxmName.toLowerCase(Locale.ROOT), f);
      }
    }
    // Aliases accepted by ovs-ofctl (lib/meta-flow.xml); the first name above is what it prints.
    alias("eth_src", ETH_SRC);
    alias("eth_dst", ETH_DST);
    alias("eth_type", ETH_TYPE);
    alias("ip_src", IPV4_SRC);
    alias("ip_dst", IPV4_DST);
    alias("ipv4_src", IPV4_SRC);
    alias("ipv4_dst", IPV4_DST);
    alias("ip_proto", IP_PROTO);
    alias("tcp_src", TP_SRC);
    alias("tcp_dst", TP_DST);
    alias("udp_src", TP_SRC);
    alias("udp_dst", TP_DST);
    alias("sctp_src", TP_SRC);
    alias("sctp_dst", TP_DST);
    alias("tun_ipv4_src", TUN_SRC);
    alias("tun_ipv4_dst", TUN_DST);
    alias("tunnel_id", TUN_ID);
    alias("nxm_of_udp_dst", TP_DST);
    alias("nxm_of_udp_src", TP_SRC);
    alias("oxm_of_sctp_dst", TP_DST);
    alias("oxm_of_sctp_src", TP_SRC);
    alias("oxm_of_eth_src", ETH_SRC);
    alias("oxm_of_eth_dst", ETH_DST);
    alias("oxm_of_eth_type", ETH_TYPE);
    alias("oxm_of_ipv4_src", IPV4_SRC);
    alias("oxm_of_ipv4_dst", IPV4_DST);
    alias("oxm_of_ip_proto", IP_PROTO);
    alias("oxm_of_tcp_src", TP_SRC);
    alias("oxm_of_tcp_dst", TP_DST);
    alias("oxm_of_udp_src", TP_SRC);
    alias("oxm_of_udp_dst", TP_DST);
    alias("oxm_of_in_port", IN_PORT);
    alias("oxm_of_arp_op", ARP_OP);
    alias("oxm_of_arp_spa", ARP_SPA);
    alias("oxm_of_arp_tpa", ARP_TPA);
    alias("oxm_of_arp_sha", ARP_SHA);
    alias("oxm_of_arp_tha", ARP_THA);
  }

  private static void alias(String name, MatchField f) {
    BY_NAME.put(name, f);
  }

  private final String ovsName;
  private final @Nullable String nxmName;
  private final int bits;
  private final Prereq prereq;

  MatchField(String ovsName, @Nullable String nxmName, int bits, Prereq prereq) {
    this.ovsName = ovsName;
    this.nxmName = nxmName;
    this.bits = bits;
    this.prereq = prereq;
  }

  /** The name {@code ovs-ofctl} prints in a match, e.g. {@code reg0}, {@code dl_dst}. */
  public String ovsName() {
    return ovsName;
  }

  /** The name used in {@code load:}/{@code move:} subfields, e.g. {@code NXM_NX_REG0}. */
  public String nxmName() {
    if (nxmName == null) {
      throw new IllegalStateException(ovsName + " is match-only and has no subfield name");
    }
    return nxmName;
  }

  public boolean hasNxmName() {
    return nxmName != null;
  }

  public int bits() {
    return bits;
  }

  public Prereq prereq() {
    return prereq;
  }

  /** All-ones mask for this field's low 64 bits. */
  public long fullMask() {
    return bits >= 64 ? -1L : (1L << bits) - 1;
  }

  public boolean isRegister() {
    return ordinal() >= REG0.ordinal() && ordinal() <= REG15.ordinal();
  }

  /** The register {@code n} (0..15). */
  public static MatchField reg(int n) {
    if (n < 0 || n > 15) {
      throw new IllegalArgumentException("no register reg" + n + " (reg0..reg15)");
    }
    return values()[REG0.ordinal() + n];
  }

  /** Looks a field up by its ovs-ofctl name, alias or NXM name (case-insensitive), or null. */
  public static @Nullable MatchField byName(String name) {
    return BY_NAME.get(name.toLowerCase(Locale.ROOT));
  }
}
