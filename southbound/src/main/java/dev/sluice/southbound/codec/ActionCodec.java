package dev.sluice.southbound.codec;

import dev.sluice.compiler.flow.Action;
import dev.sluice.compiler.flow.FlowText;
import dev.sluice.compiler.flow.MatchField;
import dev.sluice.compiler.flow.PortNames;
import dev.sluice.compiler.flow.SubField;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * OpenFlow 1.3 action lists, standard and Nicira. Layouts (all big-endian, every action padded to a
 * multiple of 8), checked against OVS {@code lib/ofp-actions.c}:
 *
 * <pre>
 * OUTPUT        type 0,  len 16: port u32, max_len u16, pad 6
 * GROUP         type 22, len 8:  group_id u32
 * DEC_NW_TTL    type 24, len 8:  pad 4
 * SET_FIELD     type 25, len 8+: OXM TLV, zero pad to 8
 * NX header     type 0xffff, len u16, experimenter 0x00002320 u32, subtype u16   (10 bytes)
 * REG_MOVE      6,  24: n_bits u16, src_ofs u16, dst_ofs u16, src hdr u32, dst hdr u32
 * REG_LOAD      7,  24: ofs_nbits u16 (ofs &lt;&lt; 6 | n_bits - 1), dst hdr u32, value u64
 * RESUBMIT_TABLE 14, 16: in_port u16 (0xfff8 = keep), table u8, pad 3
 * OUTPUT_REG    15, 24: ofs_nbits u16, src hdr u32, max_len u16, zero 6
 * REG_LOAD2     33, 24: OXM TLV (value/mask), zero pad (OVS's load to variable-length fields)
 * CONJUNCTION   34, 16: clause u8 (zero-based), n_clauses u8, id u32
 * CT            35, 24+: flags u16 (commit 1, force 2), zone_src hdr u32 (0 = immediate),
 *                       zone imm/ofs_nbits u16, recirc_table u8 (0xff none), pad 3, alg u16,
 *                       nested actions (nat first, then exec)
 * NAT           36, 16+: pad 2, flags u16, range_present u16, [ipv4_min u32] [ipv4_max u32]
 *                       [proto_min u16] [proto_max u16], zero pad to 8
 * </pre>
 *
 * <p>Under OpenFlow 1.3 OVS keeps {@code load:} as REG_LOAD and writes whole-field {@code
 * set_field} as OFPAT_SET_FIELD; this codec does the same. Decoding turns anything the model cannot
 * express exactly into {@link Action.Unknown} with the action's bytes.
 */
public final class ActionCodec {
  private static final int NX_CT_F_COMMIT = 1;
  private static final int NX_CT_F_FORCE = 2;
  private static final int NX_CT_RECIRC_NONE = 0xff;
  private static final int NX_NAT_F_SRC = 1;
  private static final int NX_NAT_F_DST = 2;
  private static final int NX_NAT_F_PERSISTENT = 4;
  private static final int NX_NAT_F_PROTO_HASH = 8;
  private static final int NX_NAT_F_PROTO_RANDOM = 16;
  private static final int NX_NAT_RANGE_IPV4_MIN = 1;
  private static final int NX_NAT_RANGE_IPV4_MAX = 2;
  private static final int NX_NAT_RANGE_IPV6_MIN = 4;
  private static final int NX_NAT_RANGE_IPV6_MAX = 8;
  private static final int NX_NAT_RANGE_PROTO_MIN = 16;
  private static final int NX_NAT_RANGE_PROTO_MAX = 32;

  private ActionCodec() {}

  // ------------------------------------------------------------------ encoding

  /** Encoded length of {@code actions} (no {@link Action.GotoTable}). */
  public static int length(List<Action> actions) {
    int n = 0;
    for (Action a : actions) {
      n += length(a);
    }
    return n;
  }

  static int length(Action a) {
    if (a instanceof Action.Output) {
      return 16;
    } else if (a instanceof Action.GroupAction || a instanceof Action.DecTtl) {
      return 8;
    } else if (a instanceof Action.SetField s) {
      return Wire.pad8(4 + 4 + WireField.forSetField(s.field(), -1).length);
    } else if (a instanceof Action.Resubmit || a instanceof Action.Conjunction) {
      return 16;
    } else if (a instanceof Action.Load
        || a instanceof Action.Move
        || a instanceof Action.OutputReg) {
      return 24;
    } else if (a instanceof Action.Ct ct) {
      int n = 24 + (ct.nat() == null ? 0 : length(ct.nat()));
      return n + length(ct.exec());
    } else if (a instanceof Action.Nat nat) {
      return Wire.pad8(
          16
              + 4 * Integer.bitCount(natRanges(nat) & 3)
              + 2 * Integer.bitCount(natRanges(nat) & 0x30));
    } else if (a instanceof Action.Unknown u) {
      return u.bytes().length;
    }
    throw new IllegalArgumentException(describe(a) + " is an instruction, not an action");
  }

  /**
   * Writes {@code actions} at the writer index. {@code ipProto} (the match's IP protocol, or -1)
   * selects the TCP, UDP or SCTP header for transport-port fields.
   */
  public static void encode(ByteBuf out, List<Action> actions, int ipProto) {
    for (Action a : actions) {
      encode(out, a, ipProto);
    }
  }

  static void encode(ByteBuf out, Action a, int ipProto) {
    int start = out.writerIndex();
    if (a instanceof Action.Output o) {
      out.writeShort(Wire.OFPAT_OUTPUT).writeShort(16).writeInt((int) o.port());
      out.writeShort(o.maxLen()).writeZero(6);
    } else if (a instanceof Action.GroupAction g) {
      out.writeShort(Wire.OFPAT_GROUP).writeShort(8).writeInt((int) g.groupId());
    } else if (a instanceof Action.DecTtl) {
      out.writeShort(Wire.OFPAT_DEC_NW_TTL).writeShort(8).writeInt(0);
    } else if (a instanceof Action.SetField s) {
      WireField w = WireField.forSetField(s.field(), ipProto);
      int len = length(a);
      out.writeShort(Wire.OFPAT_SET_FIELD).writeShort(len).writeInt(w.header());
      if (w.length == 16) {
        out.writeLong(0).writeLong(s.value());
      } else {
        Wire.writeNumber(out, s.value(), w.length);
      }
      out.writeZero(len - 8 - w.length);
    } else if (a instanceof Action.Resubmit r) {
      nxHeader(out, 16, Wire.NXAST_RESUBMIT_TABLE);
      out.writeShort(port16(r.inPort(), a)).writeByte(r.table()).writeZero(3);
    } else if (a instanceof Action.Conjunction c) {
      nxHeader(out, 16, Wire.NXAST_CONJUNCTION);
      out.writeByte(c.clause() - 1).writeByte(c.clauses()).writeInt((int) c.id());
    } else if (a instanceof Action.Load l) {
      encodeLoad(out, l, ipProto);
    } else if (a instanceof Action.Move m) {
      nxHeader(out, 24, Wire.NXAST_REG_MOVE);
      out.writeShort(m.source().bits())
          .writeShort(m.source().offset())
          .writeShort(m.destination().offset());
      out.writeInt(WireField.forSubField(m.source(), ipProto).actionHeader());
      out.writeInt(WireField.forSubField(m.destination(), ipProto).actionHeader());
    } else if (a instanceof Action.OutputReg o) {
      nxHeader(out, 24, Wire.NXAST_OUTPUT_REG);
      out.writeShort(ofsNbits(o.source()))
          .writeInt(WireField.forSubField(o.source(), ipProto).actionHeader());
      // OVS always writes max_len 0xffff (UINT16_MAX) for output:REG.
      out.writeShort(0xffff).writeZero(6);
    } else if (a instanceof Action.Ct ct) {
      encodeCt(out, ct, ipProto);
    } else if (a instanceof Action.Nat nat) {
      encodeNat(out, nat);
    } else if (a instanceof Action.Unknown u) {
      out.writeBytes(u.bytes());
    } else {
      throw new IllegalArgumentException(describe(a) + " is an instruction, not an action");
    }
    if (out.writerIndex() - start != length(a)) {
      throw new AssertionError("length mismatch encoding " + describe(a));
    }
  }

  private static void encodeLoad(ByteBuf out, Action.Load l, int ipProto) {
    SubField d = l.destination();
    WireField w = WireField.forSubField(d, ipProto);
    if (w == WireField.NX_TUN_METADATA0) {
      // Variable-length destination: OVS uses NXAST_REG_LOAD2 with a masked OXM entry.
      nxHeader(out, 24, Wire.NXAST_REG_LOAD2);
      out.writeInt(w.maskedHeader());
      out.writeInt((int) (l.value() << d.offset())).writeInt((int) d.mask());
      out.writeZero(2);
      return;
    }
    nxHeader(out, 24, Wire.NXAST_REG_LOAD);
    out.writeShort(ofsNbits(d)).writeInt(w.actionHeader()).writeLong(l.value());
  }

  private static void encodeCt(ByteBuf out, Action.Ct ct, int ipProto) {
    nxHeader(out, length(ct), Wire.NXAST_CT);
    int flags = (ct.commit() ? NX_CT_F_COMMIT : 0) | (ct.force() ? NX_CT_F_FORCE : 0);
    out.writeShort(flags);
    SubField zs = ct.zoneSource();
    if (zs == null) {
      out.writeInt(0).writeShort(ct.zone());
    } else {
      out.writeInt(WireField.forSubField(zs, ipProto).actionHeader()).writeShort(ofsNbits(zs));
    }
    out.writeByte(ct.table() < 0 ? NX_CT_RECIRC_NONE : ct.table()).writeZero(3).writeShort(0);
    if (ct.nat() != null) {
      encodeNat(out, ct.nat());
    }
    encode(out, ct.exec(), ipProto);
  }

  private static int natRanges(Action.Nat n) {
    int r = 0;
    if (n.ipMin() != 0) {
      r |= NX_NAT_RANGE_IPV4_MIN;
    }
    if (n.ipMax() != 0 && n.ipMax() != n.ipMin()) {
      r |= NX_NAT_RANGE_IPV4_MAX;
    }
    if (n.portMin() != 0) {
      r |= NX_NAT_RANGE_PROTO_MIN;
    }
    if (n.portMax() != 0 && n.portMax() != n.portMin()) {
      r |= NX_NAT_RANGE_PROTO_MAX;
    }
    return r;
  }

  private static void encodeNat(ByteBuf out, Action.Nat n) {
    int len = length(n);
    int start = out.writerIndex();
    nxHeader(out, len, Wire.NXAST_NAT);
    int flags =
        switch (n.kind()) {
          case SRC -> NX_NAT_F_SRC;
          case DST -> NX_NAT_F_DST;
          case EXISTING -> 0;
        };
    flags |= n.persistent() ? NX_NAT_F_PERSISTENT : 0;
    flags |= n.hash() ? NX_NAT_F_PROTO_HASH : 0;
    flags |= n.random() ? NX_NAT_F_PROTO_RANDOM : 0;
    int ranges = natRanges(n);
    out.writeZero(2).writeShort(flags).writeShort(ranges);
    if ((ranges & NX_NAT_RANGE_IPV4_MIN) != 0) {
      out.writeInt(n.ipMin());
    }
    if ((ranges & NX_NAT_RANGE_IPV4_MAX) != 0) {
      out.writeInt(n.ipMax());
    }
    if ((ranges & NX_NAT_RANGE_PROTO_MIN) != 0) {
      out.writeShort(n.portMin());
    }
    if ((ranges & NX_NAT_RANGE_PROTO_MAX) != 0) {
      out.writeShort(n.portMax());
    }
    out.writeZero(len - (out.writerIndex() - start));
  }

  private static void nxHeader(ByteBuf out, int len, int subtype) {
    out.writeShort(Wire.OFPAT_EXPERIMENTER)
        .writeShort(len)
        .writeInt(Wire.NX_VENDOR_ID)
        .writeShort(subtype);
  }

  static int ofsNbits(SubField s) {
    return s.offset() << 6 | (s.bits() - 1);
  }

  /** OpenFlow 1.3 port to the 16-bit numbering NXAST_RESUBMIT carries. */
  private static int port16(long port, Action a) {
    if (port >= 0xfffffff8L) {
      return (int) (port & 0xffff); // reserved ports: OFPP_IN_PORT 0xfffffff8 -> 0xfff8
    }
    if (port < 0xff00) {
      return (int) port;
    }
    throw new IllegalArgumentException(
        describe(a) + ": port " + port + " does not fit resubmit's 16-bit in_port");
  }

  private static long port32(int port16) {
    return port16 >= 0xff00 ? 0xffff0000L | port16 : port16;
  }

  static String describe(Action a) {
    try {
      return FlowText.formatActions(List.of(a), PortNames.NONE);
    } catch (RuntimeException e) {
      return a.toString();
    }
  }

  // ------------------------------------------------------------------ decoding

  /** Decodes the actions in {@code [index, end)} of {@code buf}. */
  static List<Action> decode(ByteBuf buf, int index, int end) throws CodecException {
    List<Action> actions = new ArrayList<>();
    int i = index;
    while (i < end) {
      Wire.need(buf, i, 4, end, "an action header (type u16, len u16)");
      int len = Wire.u16(buf, i + 2);
      if (len < 8 || len % 8 != 0) {
        throw new CodecException(i + 2, "an action length that is a multiple of 8, not " + len);
      }
      Wire.need(buf, i, len, end, "an action of " + len + " bytes");
      actions.add(decodeOne(buf, i, len));
      i += len;
    }
    return actions;
  }

  private static Action decodeOne(ByteBuf buf, int i, int len) throws CodecException {
    Action a;
    try {
      a = interpret(buf, i, len);
    } catch (IllegalArgumentException e) {
      // The bytes are well-formed but the model refuses the value (e.g. table 255): keep them.
      a = null;
    }
    return a != null ? a : new Action.Unknown(Wire.bytes(buf, i, len));
  }

  /** The model's action for these bytes, or null when the model cannot express it. */
  private static @Nullable Action interpret(ByteBuf buf, int i, int len) throws CodecException {
    int type = Wire.u16(buf, i);
    switch (type) {
      case Wire.OFPAT_OUTPUT:
        return len == 16 && zero(buf, i + 10, 6)
            ? new Action.Output(Wire.u32(buf, i + 4), Wire.u16(buf, i + 8))
            : null;
      case Wire.OFPAT_GROUP:
        return len == 8 ? new Action.GroupAction(Wire.u32(buf, i + 4)) : null;
      case Wire.OFPAT_DEC_NW_TTL:
        return len == 8 ? new Action.DecTtl() : null;
      case Wire.OFPAT_SET_FIELD:
        return setField(buf, i, len);
      case Wire.OFPAT_EXPERIMENTER:
        if (len < 16 || buf.getInt(i + 4) != Wire.NX_VENDOR_ID) {
          return null;
        }
        return nicira(buf, i, len, Wire.u16(buf, i + 8));
      default:
        return null;
    }
  }

  private static @Nullable Action setField(ByteBuf buf, int i, int len) {
    int header = buf.getInt(i + 4);
    WireField w = WireField.byHeader(header);
    int n = WireField.headerLength(header);
    if (w == null
        || WireField.hasMask(header)
        || 8 + n > len
        || !zero(buf, i + 8 + n, len - 8 - n)) {
      return null;
    }
    if (w == WireField.NX_CT_LABEL) {
      return n == 16 && buf.getLong(i + 8) == 0
          ? new Action.SetField(w.model, buf.getLong(i + 16))
          : null;
    }
    if (n != w.length || w == WireField.OXM_IP_DSCP || w == WireField.NXM_IN_PORT) {
      return null;
    }
    return new Action.SetField(w.model, Wire.number(buf, i + 8, n));
  }

  private static @Nullable Action nicira(ByteBuf buf, int i, int len, int subtype)
      throws CodecException {
    switch (subtype) {
      case Wire.NXAST_RESUBMIT_TABLE:
        {
          int table = Wire.u8(buf, i + 12);
          if (len != 16 || table == 0xff || !zero(buf, i + 13, 3)) {
            return null;
          }
          return new Action.Resubmit(port32(Wire.u16(buf, i + 10)), table);
        }
      case Wire.NXAST_CONJUNCTION:
        {
          if (len != 16) {
            return null;
          }
          int clause = Wire.u8(buf, i + 10) + 1;
          return new Action.Conjunction(Wire.u32(buf, i + 12), clause, Wire.u8(buf, i + 11));
        }
      case Wire.NXAST_REG_LOAD:
        {
          if (len != 24) {
            return null;
          }
          SubField d = subField(buf.getInt(i + 12), Wire.u16(buf, i + 10));
          return d == null ? null : new Action.Load(d, buf.getLong(i + 16));
        }
      case Wire.NXAST_REG_LOAD2:
        return load2(buf, i, len);
      case Wire.NXAST_REG_MOVE:
        {
          if (len != 24) {
            return null;
          }
          int bits = Wire.u16(buf, i + 10);
          SubField s = subField(buf.getInt(i + 16), Wire.u16(buf, i + 12), bits);
          SubField d = subField(buf.getInt(i + 20), Wire.u16(buf, i + 14), bits);
          return s == null || d == null ? null : new Action.Move(s, d);
        }
      case Wire.NXAST_OUTPUT_REG:
        {
          if (len != 24 || Wire.u16(buf, i + 16) != 0xffff || !zero(buf, i + 18, 6)) {
            return null;
          }
          SubField s = subField(buf.getInt(i + 12), Wire.u16(buf, i + 10));
          return s == null ? null : new Action.OutputReg(s);
        }
      case Wire.NXAST_CT:
        return ct(buf, i, len);
      case Wire.NXAST_NAT:
        return nat(buf, i, len);
      default:
        return null;
    }
  }

  private static @Nullable Action load2(ByteBuf buf, int i, int len) {
    int header = buf.getInt(i + 10);
    WireField w = WireField.byHeader(header);
    if (w != WireField.NX_TUN_METADATA0 || WireField.headerLength(header) != 8 || len != 24) {
      return null;
    }
    long value = Wire.u32(buf, i + 14);
    long mask = Wire.u32(buf, i + 18);
    if (!WireField.hasMask(header) || mask == 0) {
      return null;
    }
    int ofs = Long.numberOfTrailingZeros(mask);
    int bits = 64 - Long.numberOfLeadingZeros(mask) - ofs;
    SubField d = new SubField(w.model, ofs, bits);
    if (d.mask() != mask || (value & ~mask) != 0) {
      return null;
    }
    return new Action.Load(d, value >>> ofs);
  }

  private static @Nullable Action ct(ByteBuf buf, int i, int len) throws CodecException {
    if (len < 24) {
      return null;
    }
    int flags = Wire.u16(buf, i + 10);
    long zoneSrc = Wire.u32(buf, i + 12);
    int zone = Wire.u16(buf, i + 16);
    int table = Wire.u8(buf, i + 18);
    int alg = Wire.u16(buf, i + 22);
    if ((flags & ~(NX_CT_F_COMMIT | NX_CT_F_FORCE)) != 0 || alg != 0 || !zero(buf, i + 19, 3)) {
      return null;
    }
    SubField zoneSource = null;
    if (zoneSrc != 0) {
      zoneSource = subField((int) zoneSrc, zone);
      if (zoneSource == null) {
        return null;
      }
      zone = 0;
    }
    Action.Nat nat = null;
    List<Action> exec = new ArrayList<>();
    for (Action nested : decode(buf, i + 24, i + len)) {
      if (nested instanceof Action.Nat n && nat == null) {
        nat = n;
      } else if (nested instanceof Action.Load
          || nested instanceof Action.SetField
          || nested instanceof Action.Move) {
        exec.add(nested);
      } else {
        return null;
      }
    }
    return new Action.Ct(
        (flags & NX_CT_F_COMMIT) != 0,
        (flags & NX_CT_F_FORCE) != 0,
        table == NX_CT_RECIRC_NONE ? -1 : table,
        zone,
        zoneSource,
        nat,
        exec);
  }

  private static @Nullable Action nat(ByteBuf buf, int i, int len) {
    int flags = Wire.u16(buf, i + 12);
    int ranges = Wire.u16(buf, i + 14);
    if (Wire.u16(buf, i + 10) != 0
        || (flags & ~0x1f) != 0
        || (ranges & ~0x3f) != 0
        || (ranges & (NX_NAT_RANGE_IPV6_MIN | NX_NAT_RANGE_IPV6_MAX)) != 0) {
      return null;
    }
    int need = 16 + 4 * Integer.bitCount(ranges & 3) + 2 * Integer.bitCount(ranges & 0x30);
    if (Wire.pad8(need) != len) {
      return null;
    }
    int p = i + 16;
    int ipMin = 0;
    int ipMax = 0;
    int portMin = 0;
    int portMax = 0;
    if ((ranges & NX_NAT_RANGE_IPV4_MIN) != 0) {
      ipMin = buf.getInt(p);
      p += 4;
    }
    if ((ranges & NX_NAT_RANGE_IPV4_MAX) != 0) {
      ipMax = buf.getInt(p);
      p += 4;
    } else {
      ipMax = ipMin;
    }
    if ((ranges & NX_NAT_RANGE_PROTO_MIN) != 0) {
      portMin = Wire.u16(buf, p);
      p += 2;
    }
    if ((ranges & NX_NAT_RANGE_PROTO_MAX) != 0) {
      portMax = Wire.u16(buf, p);
      p += 2;
    } else {
      portMax = portMin;
    }
    if (!zero(buf, p, i + len - p)) {
      return null;
    }
    Action.Nat.Kind kind;
    if ((flags & NX_NAT_F_SRC) != 0 && (flags & NX_NAT_F_DST) == 0) {
      kind = Action.Nat.Kind.SRC;
    } else if ((flags & NX_NAT_F_DST) != 0 && (flags & NX_NAT_F_SRC) == 0) {
      kind = Action.Nat.Kind.DST;
    } else if ((flags & (NX_NAT_F_SRC | NX_NAT_F_DST)) == 0) {
      kind = Action.Nat.Kind.EXISTING;
    } else {
      return null;
    }
    Action.Nat n =
        new Action.Nat(
            kind,
            ipMin,
            ipMax,
            portMin,
            portMax,
            (flags & NX_NAT_F_PERSISTENT) != 0,
            (flags & NX_NAT_F_PROTO_HASH) != 0,
            (flags & NX_NAT_F_PROTO_RANDOM) != 0);
    // Only ranges this codec would write again (min == max is written as min alone).
    return natRanges(n) == ranges ? n : null;
  }

  private static @Nullable SubField subField(int header, int ofsNbits) {
    return subField(header, ofsNbits >>> 6, (ofsNbits & 0x3f) + 1);
  }

  private static @Nullable SubField subField(int header, int ofs, int bits) {
    WireField w = WireField.byHeader(header);
    if (w == null || WireField.hasMask(header)) {
      return null;
    }
    int len = WireField.headerLength(header);
    // ovs-ofctl writes tun_metadata headers with the maximum length (124); a switch reports the
    // length its TLV map gives (4 for Antrea's mapping).
    boolean lengthOk =
        w == WireField.NX_TUN_METADATA0
            ? len >= 1 && len <= WireField.TUN_METADATA_HEADER_LEN
            : len == w.length;
    if (!lengthOk) {
      return null;
    }
    MatchField f = w.model;
    if (!f.hasNxmName() || ofs + bits > w.bits() || bits < 1) {
      return null;
    }
    return new SubField(f, ofs, bits);
  }

  private static boolean zero(ByteBuf buf, int i, int n) {
    for (int k = 0; k < n; k++) {
      if (buf.getByte(i + k) != 0) {
        return false;
      }
    }
    return true;
  }
}
