package dev.sluice.southbound.codec;

import dev.sluice.compiler.flow.FieldMatch;
import dev.sluice.compiler.flow.Match;
import dev.sluice.compiler.flow.MatchField;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code ofp_match} of type OXM (1): {@code type u16, length u16} (length excludes the padding),
 * the OXM/NXM TLVs, then zero padding to a multiple of 8.
 *
 * <p>Fields are written in the order of OVS's {@code nx_put_raw()} so the bytes equal what {@code
 * ovs-ofctl} sends; decoding accepts any order.
 */
public final class MatchCodec {
  static final int OFPMT_OXM = 1;

  /** OVS {@code nx_put_raw()} order for the fields the model has. */
  private static final MatchField[] ORDER = {
    MatchField.CONJ_ID,
    MatchField.IN_PORT,
    MatchField.ETH_SRC,
    MatchField.ETH_DST,
    MatchField.ETH_TYPE,
    MatchField.IPV4_SRC,
    MatchField.IPV4_DST,
    MatchField.IP_DSCP,
    MatchField.NW_TTL,
    MatchField.IP_PROTO,
    MatchField.TP_SRC,
    MatchField.TP_DST,
    MatchField.ICMP_TYPE,
    MatchField.ICMP_CODE,
    MatchField.ARP_OP,
    MatchField.ARP_SPA,
    MatchField.ARP_TPA,
    MatchField.ARP_SHA,
    MatchField.ARP_THA,
    MatchField.TUN_ID,
    MatchField.TUN_SRC,
    MatchField.TUN_DST,
    MatchField.TUN_METADATA0,
    MatchField.REG0,
    MatchField.REG1,
    MatchField.REG2,
    MatchField.REG3,
    MatchField.REG4,
    MatchField.REG5,
    MatchField.REG6,
    MatchField.REG7,
    MatchField.REG8,
    MatchField.REG9,
    MatchField.REG10,
    MatchField.REG11,
    MatchField.REG12,
    MatchField.REG13,
    MatchField.REG14,
    MatchField.REG15,
    MatchField.PKT_MARK,
    MatchField.CT_STATE,
    MatchField.CT_ZONE,
    MatchField.CT_MARK,
    MatchField.CT_LABEL,
    MatchField.METADATA,
  };

  static {
    if (ORDER.length != MatchField.values().length) {
      throw new AssertionError("MatchCodec.ORDER misses a MatchField");
    }
  }

  /** A decoded match and the TLVs the model could not express. */
  public record Decoded(Match match, List<RawField> unknown, int length) {
    public Decoded {
      unknown = List.copyOf(unknown);
    }
  }

  private MatchCodec() {}

  /** The IP protocol the match pins (selects tcp/udp/sctp port headers), or -1. */
  static int ipProto(Match m) {
    return (int) m.exactValue(MatchField.IP_PROTO);
  }

  /** The length of the OXM TLVs, without the 4-byte match header and without padding. */
  static int tlvLength(Match m) {
    int n = 0;
    for (FieldMatch f : m.fields()) {
      WireField w = WireField.forMatch(f.field(), ipProto(m));
      n += 4 + (f.isExact() ? w.length : 2 * w.length);
    }
    return n;
  }

  /** The length of the whole ofp_match including its padding. */
  public static int length(Match m) {
    return Wire.pad8(4 + tlvLength(m));
  }

  /** Writes the ofp_match, padded to 8, at the writer index. */
  public static void encode(ByteBuf out, Match m) {
    int proto = ipProto(m);
    int len = 4 + tlvLength(m);
    out.writeShort(OFPMT_OXM).writeShort(len);
    for (MatchField field : ORDER) {
      m.get(field).ifPresent(f -> writeTlv(out, f, WireField.forMatch(field, proto)));
    }
    out.writeZero(Wire.pad8(len) - len);
  }

  static void writeTlv(ByteBuf out, FieldMatch f, WireField w) {
    boolean masked = !f.isExact();
    out.writeInt(masked ? w.maskedHeader() : w.header());
    writeValue(out, w, f.value(), f.valueHigh());
    if (masked) {
      writeValue(out, w, f.mask(), f.maskHigh());
    }
  }

  static void writeValue(ByteBuf out, WireField w, long low, long high) {
    if (w.length == 16) {
      out.writeLong(high).writeLong(low);
    } else if (w == WireField.OXM_IP_DSCP) {
      // The model keeps nw_tos as the TOS byte; OXM_OF_IP_DSCP carries DSCP = TOS >> 2.
      out.writeByte((int) (low >>> 2));
    } else {
      Wire.writeNumber(out, low, w.length);
    }
  }

  /**
   * Decodes the ofp_match at {@code index} of {@code buf} (bounded by {@code end}); {@code
   * length()} of the result includes the padding.
   */
  static Decoded decode(ByteBuf buf, int index, int end) throws CodecException {
    Wire.need(buf, index, 4, end, "an ofp_match header");
    int type = Wire.u16(buf, index);
    int len = Wire.u16(buf, index + 2);
    if (type != OFPMT_OXM) {
      throw new CodecException(index, "ofp_match type OXM (1), not " + type);
    }
    if (len < 4) {
      throw new CodecException(index + 2, "an ofp_match length of at least 4, not " + len);
    }
    int padded = Wire.pad8(len);
    Wire.need(buf, index, padded, end, "an ofp_match of " + len + " bytes plus padding");
    int tlvEnd = index + len;
    List<RawField> unknown = new ArrayList<>();
    List<FieldMatch> fields = new ArrayList<>();
    List<Integer> offsets = new ArrayList<>();
    int portProto = -1;
    int i = index + 4;
    while (i < tlvEnd) {
      Wire.need(buf, i, 4, tlvEnd, "an OXM header");
      int header = buf.getInt(i);
      int n = WireField.headerLength(header);
      Wire.need(
          buf, i + 4, n, tlvEnd, "the OXM payload of header 0x" + Integer.toHexString(header));
      FieldMatch f = field(buf, i, header, n);
      if (f == null) {
        unknown.add(new RawField(Wire.bytes(buf, i, 4 + n)));
      } else {
        WireField w = WireField.byHeader(header);
        if (w != null && w.impliedProto() >= 0) {
          portProto = w.impliedProto();
        }
        fields.add(f);
        offsets.add(i);
      }
      i += 4 + n;
    }
    Match.Builder b = Match.builder();
    for (int k = 0; k < fields.size(); k++) {
      try {
        b.add(fields.get(k));
      } catch (IllegalArgumentException e) {
        throw new CodecException(offsets.get(k), "each field once: " + e.getMessage());
      }
    }
    Match match;
    try {
      match = b.build();
    } catch (IllegalArgumentException e) {
      throw new CodecException(index, "a match with its prerequisites: " + e.getMessage());
    }
    if (portProto >= 0 && ipProto(match) != portProto) {
      throw new CodecException(
          index, "transport port fields of the protocol the match pins (" + portProto + ")");
    }
    return new Decoded(match, unknown, padded);
  }

  /** The model's field match for one TLV, or null when the model cannot express it. */
  private static FieldMatch field(ByteBuf buf, int i, int header, int n) {
    WireField w = WireField.byHeader(header);
    if (w == null || WireField.headerClass(header) == WireField.CLASS_EXPERIMENTER) {
      return null;
    }
    boolean masked = WireField.hasMask(header);
    int width = masked ? n / 2 : n;
    if (masked && n % 2 != 0) {
      return null;
    }
    if (w == WireField.NX_TUN_METADATA0) {
      // Length follows the bridge's TLV map (ovs-ofctl without a map sends the value's length).
      if (width < 1 || width > 4) {
        return null;
      }
    } else if (width != w.length || w == WireField.NXM_IN_PORT) {
      return null;
    }
    MatchField mf = w.model;
    int v = i + 4;
    if (w.length == 16) {
      long vh = buf.getLong(v);
      long vl = buf.getLong(v + 8);
      long mh = masked ? buf.getLong(v + 16) : -1L;
      long ml = masked ? buf.getLong(v + 24) : -1L;
      if (mh == 0 && ml == 0) {
        return null;
      }
      return new FieldMatch(mf, vl & ml, ml, vh & mh, mh);
    }
    long value = Wire.number(buf, v, width);
    long mask = masked ? Wire.number(buf, v + width, width) : mf.fullMask();
    if (w == WireField.OXM_IP_DSCP) {
      if (value > 0x3f || (masked && mask > 0x3f)) {
        return null;
      }
      value <<= 2;
      mask = masked ? mask << 2 : 0xfc;
      if (mask == 0xfc && !masked) {
        // nw_tos exact on the DSCP bits: the model's exact TOS byte (ECN is a separate field).
        return FieldMatch.exact(mf, value);
      }
    }
    if (mask == 0 || (mask & ~mf.fullMask()) != 0 || (value & ~mf.fullMask()) != 0) {
      return null;
    }
    return mask == mf.fullMask()
        ? FieldMatch.exact(mf, value)
        : FieldMatch.masked(mf, value & mask, mask);
  }
}
