package dev.sluice.compiler.sim;

import dev.sluice.compiler.flow.CtState;
import dev.sluice.compiler.flow.FlowText;
import dev.sluice.compiler.flow.Match;
import dev.sluice.compiler.flow.MatchField;
import dev.sluice.compiler.flow.PortNames;
import java.util.Arrays;

/**
 * An immutable snapshot of a packet's header and metadata fields: one value per {@link MatchField}
 * (the low 64 bits) plus the high 64 bits of {@code ct_label}. Fields never set are zero, as in
 * OVS's {@code struct flow}. Tunnel metadata ({@code tun_dst}, {@code tun_src}, {@code tun_id},
 * {@code tun_metadata0}) are ordinary fields here.
 */
public final class Packet {
  private static final MatchField[] FIELDS = MatchField.values();

  private final long[] values;
  private final long ctLabelHigh;

  Packet(long[] values, long ctLabelHigh) {
    this.values = values.clone();
    this.ctLabelHigh = ctLabelHigh;
  }

  /** A packet with every field zero. */
  public static Packet empty() {
    return new Packet(new long[FIELDS.length], 0);
  }

  /** The value of {@code field} (low 64 bits for {@code ct_label}). */
  public long get(MatchField field) {
    return values[field.ordinal()];
  }

  public long ctLabelHigh() {
    return ctLabelHigh;
  }

  /** A copy with {@code field} set (masked to the field's width). */
  public Packet with(MatchField field, long value) {
    long[] v = values.clone();
    v[field.ordinal()] = value & field.fullMask();
    return new Packet(v, ctLabelHigh);
  }

  long[] values() {
    return values.clone();
  }

  /**
   * The packet in {@code ofproto/trace} microflow syntax, e.g. {@code
   * ct_state=new|trk,tcp,reg0=0x2,in_port="frontend-a3ba2f",dl_src=...,nw_ttl=64,tp_dst=80}: the
   * protocol shorthand and every non-zero field, {@code ct_state} as flag names.
   */
  public String format(PortNames ports) {
    Match.Builder b = Match.builder();
    long ethType = get(MatchField.ETH_TYPE);
    long proto = get(MatchField.IP_PROTO);
    for (MatchField f : FIELDS) {
      long v = get(f);
      if (f == MatchField.CT_STATE || f == MatchField.CONJ_ID) {
        continue;
      }
      if (v == 0 && !(f == MatchField.CT_LABEL && ctLabelHigh != 0)) {
        continue;
      }
      if (!prereqMet(f, ethType, proto)) {
        continue;
      }
      if (f == MatchField.CT_LABEL) {
        b.add(
            new dev.sluice.compiler.flow.FieldMatch(
                f, v, -1L, ctLabelHigh, -1L)); // full 128-bit mask
      } else {
        b.exact(f, v);
      }
    }
    String text = FlowText.formatMatch(b.build(), ports);
    long ct = get(MatchField.CT_STATE);
    if (ct != 0) {
      text = "ct_state=" + ctStateFlags(ct) + (text.isEmpty() ? "" : "," + text);
    }
    return text;
  }

  /** {@code new|trk}: the set flags of a ct_state value, as {@code ofproto/trace} prints them. */
  public static String ctStateFlags(long state) {
    if (state == 0) {
      return "0";
    }
    String signed = CtState.format(state, state);
    return signed.replace("+", "|").substring(1);
  }

  static boolean prereqMet(MatchField f, long ethType, long proto) {
    return switch (f.prereq()) {
      case NONE -> true;
      case IP -> ethType == Match.ETH_IP;
      case ARP -> ethType == Match.ETH_ARP;
      case ICMP -> ethType == Match.ETH_IP && proto == Match.PROTO_ICMP;
      case L4 ->
          ethType == Match.ETH_IP
              && (proto == Match.PROTO_TCP
                  || proto == Match.PROTO_UDP
                  || proto == Match.PROTO_SCTP);
    };
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Packet p && ctLabelHigh == p.ctLabelHigh && Arrays.equals(values, p.values);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(values) + Long.hashCode(ctLabelHigh);
  }

  @Override
  public String toString() {
    return format(PortNames.NONE);
  }
}
