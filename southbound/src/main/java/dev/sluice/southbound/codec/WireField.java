package dev.sluice.southbound.codec;

import dev.sluice.compiler.flow.MatchField;
import dev.sluice.compiler.flow.SubField;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Every OXM/NXM header Sluice reads or writes, with the model field it carries. Numbers checked
 * against Open vSwitch {@code include/openvswitch/meta-flow.h} ("NXM:"/"OXM:" lines): under
 * OpenFlow 1.3 OVS writes a field's OXM header when the field has one "since OF1.2/OF1.3",
 * otherwise its NXM header; in actions ({@code reg_load}, {@code reg_move}, {@code output_reg},
 * {@code ct} zone) it prefers the NXM header ({@code nxm_header_from_mff}).
 *
 * <p>Header layout: {@code class u16 | field u7 | hasmask u1 | length u8}; with hasmask set the
 * payload is value then mask and the length is doubled.
 */
enum WireField {
  // OXM basic class 0x8000 (OpenFlow 1.3 section 7.2.3.7).
  OXM_IN_PORT(0x8000, 0, 4, MatchField.IN_PORT),
  OXM_METADATA(0x8000, 2, 8, MatchField.METADATA),
  OXM_ETH_DST(0x8000, 3, 6, MatchField.ETH_DST),
  OXM_ETH_SRC(0x8000, 4, 6, MatchField.ETH_SRC),
  OXM_ETH_TYPE(0x8000, 5, 2, MatchField.ETH_TYPE),
  /** OXM_OF_IP_DSCP carries the 6-bit DSCP; the model's nw_tos is the TOS byte (DSCP << 2). */
  OXM_IP_DSCP(0x8000, 8, 1, MatchField.IP_DSCP),
  OXM_IP_PROTO(0x8000, 10, 1, MatchField.IP_PROTO),
  OXM_IPV4_SRC(0x8000, 11, 4, MatchField.IPV4_SRC),
  OXM_IPV4_DST(0x8000, 12, 4, MatchField.IPV4_DST),
  OXM_TCP_SRC(0x8000, 13, 2, MatchField.TP_SRC),
  OXM_TCP_DST(0x8000, 14, 2, MatchField.TP_DST),
  OXM_UDP_SRC(0x8000, 15, 2, MatchField.TP_SRC),
  OXM_UDP_DST(0x8000, 16, 2, MatchField.TP_DST),
  OXM_SCTP_SRC(0x8000, 17, 2, MatchField.TP_SRC),
  OXM_SCTP_DST(0x8000, 18, 2, MatchField.TP_DST),
  OXM_ICMP_TYPE(0x8000, 19, 1, MatchField.ICMP_TYPE),
  OXM_ICMP_CODE(0x8000, 20, 1, MatchField.ICMP_CODE),
  OXM_ARP_OP(0x8000, 21, 2, MatchField.ARP_OP),
  OXM_ARP_SPA(0x8000, 22, 4, MatchField.ARP_SPA),
  OXM_ARP_TPA(0x8000, 23, 4, MatchField.ARP_TPA),
  OXM_ARP_SHA(0x8000, 24, 6, MatchField.ARP_SHA),
  OXM_ARP_THA(0x8000, 25, 6, MatchField.ARP_THA),
  OXM_TUNNEL_ID(0x8000, 38, 8, MatchField.TUN_ID),

  // NXM class 0x0000 (NXM_OF_*): the OpenFlow 1.0 fields.
  /** NXM_OF_IN_PORT is 16 bits (OpenFlow 1.0 port numbers). */
  NXM_IN_PORT(0x0000, 0, 2, MatchField.IN_PORT),
  NXM_ETH_DST(0x0000, 1, 6, MatchField.ETH_DST),
  NXM_ETH_SRC(0x0000, 2, 6, MatchField.ETH_SRC),
  NXM_ETH_TYPE(0x0000, 3, 2, MatchField.ETH_TYPE),
  NXM_IP_TOS(0x0000, 5, 1, MatchField.IP_DSCP),
  NXM_IP_PROTO(0x0000, 6, 1, MatchField.IP_PROTO),
  NXM_IP_SRC(0x0000, 7, 4, MatchField.IPV4_SRC),
  NXM_IP_DST(0x0000, 8, 4, MatchField.IPV4_DST),
  NXM_TCP_SRC(0x0000, 9, 2, MatchField.TP_SRC),
  NXM_TCP_DST(0x0000, 10, 2, MatchField.TP_DST),
  NXM_UDP_SRC(0x0000, 11, 2, MatchField.TP_SRC),
  NXM_UDP_DST(0x0000, 12, 2, MatchField.TP_DST),
  NXM_ICMP_TYPE(0x0000, 13, 1, MatchField.ICMP_TYPE),
  NXM_ICMP_CODE(0x0000, 14, 1, MatchField.ICMP_CODE),
  NXM_ARP_OP(0x0000, 15, 2, MatchField.ARP_OP),
  NXM_ARP_SPA(0x0000, 16, 4, MatchField.ARP_SPA),
  NXM_ARP_TPA(0x0000, 17, 4, MatchField.ARP_TPA),

  // NXM class 0x0001 (NXM_NX_*).
  REG0(0x0001, 0, 4, MatchField.REG0),
  REG1(0x0001, 1, 4, MatchField.REG1),
  REG2(0x0001, 2, 4, MatchField.REG2),
  REG3(0x0001, 3, 4, MatchField.REG3),
  REG4(0x0001, 4, 4, MatchField.REG4),
  REG5(0x0001, 5, 4, MatchField.REG5),
  REG6(0x0001, 6, 4, MatchField.REG6),
  REG7(0x0001, 7, 4, MatchField.REG7),
  REG8(0x0001, 8, 4, MatchField.REG8),
  REG9(0x0001, 9, 4, MatchField.REG9),
  REG10(0x0001, 10, 4, MatchField.REG10),
  REG11(0x0001, 11, 4, MatchField.REG11),
  REG12(0x0001, 12, 4, MatchField.REG12),
  REG13(0x0001, 13, 4, MatchField.REG13),
  REG14(0x0001, 14, 4, MatchField.REG14),
  REG15(0x0001, 15, 4, MatchField.REG15),
  NX_TUN_ID(0x0001, 16, 8, MatchField.TUN_ID),
  NX_ARP_SHA(0x0001, 17, 6, MatchField.ARP_SHA),
  NX_ARP_THA(0x0001, 18, 6, MatchField.ARP_THA),
  NX_IP_TTL(0x0001, 29, 1, MatchField.NW_TTL),
  NX_TUN_IPV4_SRC(0x0001, 31, 4, MatchField.TUN_SRC),
  NX_TUN_IPV4_DST(0x0001, 32, 4, MatchField.TUN_DST),
  NX_PKT_MARK(0x0001, 33, 4, MatchField.PKT_MARK),
  NX_CONJ_ID(0x0001, 37, 4, MatchField.CONJ_ID),
  /**
   * Variable length (up to 124 bytes); its length comes from the bridge's TLV map (Antrea maps 4).
   * In action headers OVS writes the maximum, 124 (0x0001507c).
   */
  NX_TUN_METADATA0(0x0001, 40, 4, MatchField.TUN_METADATA0),
  NX_CT_STATE(0x0001, 105, 4, MatchField.CT_STATE),
  NX_CT_ZONE(0x0001, 106, 2, MatchField.CT_ZONE),
  NX_CT_MARK(0x0001, 107, 4, MatchField.CT_MARK),
  NX_CT_LABEL(0x0001, 108, 16, MatchField.CT_LABEL);

  static final int CLASS_NXM0 = 0x0000;
  static final int CLASS_NXM1 = 0x0001;
  static final int CLASS_OXM = 0x8000;
  static final int CLASS_EXPERIMENTER = 0xffff;

  /** Length OVS writes in action headers for variable-length tun_metadata fields. */
  static final int TUN_METADATA_HEADER_LEN = 124;

  private static final Map<Integer, WireField> BY_CLASS_FIELD = new HashMap<>();

  static {
    for (WireField w : values()) {
      BY_CLASS_FIELD.put(w.oxmClass << 7 | w.field, w);
    }
  }

  final int oxmClass;
  final int field;
  final int length;
  final MatchField model;

  WireField(int oxmClass, int field, int length, MatchField model) {
    this.oxmClass = oxmClass;
    this.field = field;
    this.length = length;
    this.model = model;
  }

  /** The unmasked 32-bit header with this entry's natural length. */
  int header() {
    return header(length);
  }

  int header(int len) {
    return oxmClass << 16 | field << 9 | len;
  }

  /** The header with hasmask set and the length doubled. */
  int maskedHeader() {
    return oxmClass << 16 | field << 9 | 0x100 | (2 * length);
  }

  /** The header OVS writes in actions for this entry. */
  int actionHeader() {
    return this == NX_TUN_METADATA0 ? header(TUN_METADATA_HEADER_LEN) : header();
  }

  /** The IP protocol a transport-port entry implies, or -1. */
  int impliedProto() {
    return switch (this) {
      case OXM_TCP_SRC, OXM_TCP_DST, NXM_TCP_SRC, NXM_TCP_DST -> 6;
      case OXM_UDP_SRC, OXM_UDP_DST, NXM_UDP_SRC, NXM_UDP_DST -> 17;
      case OXM_SCTP_SRC, OXM_SCTP_DST -> 132;
      default -> -1;
    };
  }

  static @Nullable WireField byHeader(int header) {
    return BY_CLASS_FIELD.get((header >>> 16) << 7 | (header >>> 9 & 0x7f));
  }

  static int headerClass(int header) {
    return header >>> 16;
  }

  static boolean hasMask(int header) {
    return (header & 0x100) != 0;
  }

  static int headerLength(int header) {
    return header & 0xff;
  }

  /** The entry OVS 3.1 writes in an OpenFlow 1.3 match (and in set_field) for {@code f}. */
  static WireField forMatch(MatchField f, int ipProto) {
    return switch (f) {
      case IN_PORT -> OXM_IN_PORT;
      case METADATA -> OXM_METADATA;
      case ETH_DST -> OXM_ETH_DST;
      case ETH_SRC -> OXM_ETH_SRC;
      case ETH_TYPE -> OXM_ETH_TYPE;
      case IP_DSCP -> OXM_IP_DSCP;
      case IP_PROTO -> OXM_IP_PROTO;
      case IPV4_SRC -> OXM_IPV4_SRC;
      case IPV4_DST -> OXM_IPV4_DST;
      case TP_SRC -> ipProto == 17 ? OXM_UDP_SRC : ipProto == 132 ? OXM_SCTP_SRC : OXM_TCP_SRC;
      case TP_DST -> ipProto == 17 ? OXM_UDP_DST : ipProto == 132 ? OXM_SCTP_DST : OXM_TCP_DST;
      case ICMP_TYPE -> OXM_ICMP_TYPE;
      case ICMP_CODE -> OXM_ICMP_CODE;
      case ARP_OP -> OXM_ARP_OP;
      case ARP_SPA -> OXM_ARP_SPA;
      case ARP_TPA -> OXM_ARP_TPA;
      case ARP_SHA -> OXM_ARP_SHA;
      case ARP_THA -> OXM_ARP_THA;
      case TUN_ID -> OXM_TUNNEL_ID;
      default -> nxOnly(f);
    };
  }

  /**
   * The entry OVS writes for an OFPAT_SET_FIELD of {@code f} under OpenFlow 1.3: as in a match,
   * except nw_tos, whose set_field is the unshifted NXM_OF_IP_TOS (MFF_IP_DSCP has no OXM).
   */
  static WireField forSetField(MatchField f, int ipProto) {
    return f == MatchField.IP_DSCP ? NXM_IP_TOS : forMatch(f, ipProto);
  }

  /** The entry OVS writes in reg_load/reg_move/output_reg/ct for a subfield of {@code f}. */
  static WireField forSubField(SubField s, int ipProto) {
    return switch (s.field()) {
      // NXM_OF_IN_PORT is 16 bits; wider ranges need the 32-bit OXM in_port.
      case IN_PORT -> s.offset() + s.bits() <= 16 ? NXM_IN_PORT : OXM_IN_PORT;
      case METADATA -> OXM_METADATA;
      case ETH_DST -> NXM_ETH_DST;
      case ETH_SRC -> NXM_ETH_SRC;
      case ETH_TYPE -> NXM_ETH_TYPE;
      case IP_DSCP -> NXM_IP_TOS;
      case IP_PROTO -> NXM_IP_PROTO;
      case IPV4_SRC -> NXM_IP_SRC;
      case IPV4_DST -> NXM_IP_DST;
      case TP_SRC -> ipProto == 17 ? NXM_UDP_SRC : ipProto == 132 ? OXM_SCTP_SRC : NXM_TCP_SRC;
      case TP_DST -> ipProto == 17 ? NXM_UDP_DST : ipProto == 132 ? OXM_SCTP_DST : NXM_TCP_DST;
      case ICMP_TYPE -> NXM_ICMP_TYPE;
      case ICMP_CODE -> NXM_ICMP_CODE;
      case ARP_OP -> NXM_ARP_OP;
      case ARP_SPA -> NXM_ARP_SPA;
      case ARP_TPA -> NXM_ARP_TPA;
      case ARP_SHA -> NX_ARP_SHA;
      case ARP_THA -> NX_ARP_THA;
      case TUN_ID -> NX_TUN_ID;
      default -> nxOnly(s.field());
    };
  }

  /** Width in bits of the field this entry addresses in actions. */
  int bits() {
    return this == NX_TUN_METADATA0 ? model.bits() : length * 8;
  }

  private static WireField nxOnly(MatchField f) {
    if (f.isRegister()) {
      return values()[REG0.ordinal() + (f.ordinal() - MatchField.REG0.ordinal())];
    }
    return switch (f) {
      case PKT_MARK -> NX_PKT_MARK;
      case CONJ_ID -> NX_CONJ_ID;
      case CT_STATE -> NX_CT_STATE;
      case CT_ZONE -> NX_CT_ZONE;
      case CT_MARK -> NX_CT_MARK;
      case CT_LABEL -> NX_CT_LABEL;
      case TUN_SRC -> NX_TUN_IPV4_SRC;
      case TUN_DST -> NX_TUN_IPV4_DST;
      case TUN_METADATA0 -> NX_TUN_METADATA0;
      case NW_TTL -> NX_IP_TTL;
      default -> throw new AssertionError("no wire entry for " + f);
    };
  }
}
