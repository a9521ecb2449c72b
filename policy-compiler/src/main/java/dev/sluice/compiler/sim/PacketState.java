package dev.sluice.compiler.sim;

import dev.sluice.compiler.flow.FieldMatch;
import dev.sluice.compiler.flow.MatchField;
import dev.sluice.compiler.flow.SubField;

/** The mutable packet the simulator works on; {@link #snapshot()} freezes it (package-private). */
final class PacketState {
  private final long[] values;
  private long ctLabelHigh;

  PacketState(Packet p) {
    this.values = p.values();
    this.ctLabelHigh = p.ctLabelHigh();
  }

  private PacketState(long[] values, long ctLabelHigh) {
    this.values = values.clone();
    this.ctLabelHigh = ctLabelHigh;
  }

  PacketState copy() {
    return new PacketState(values, ctLabelHigh);
  }

  Packet snapshot() {
    return new Packet(values, ctLabelHigh);
  }

  long get(MatchField f) {
    return values[f.ordinal()];
  }

  void set(MatchField f, long v) {
    values[f.ordinal()] = v & f.fullMask();
  }

  /** Whether the packet satisfies one field of a match; {@code conjId} is the lookup's conj_id. */
  boolean matches(FieldMatch m, long conjId) {
    MatchField f = m.field();
    if (f == MatchField.CONJ_ID) {
      return m.matches(conjId);
    }
    if (f == MatchField.CT_LABEL) {
      return m.matches(get(f)) && (ctLabelHigh & m.maskHigh()) == m.valueHigh();
    }
    return m.matches(get(f));
  }

  /**
   * Bit {@code i} of a field (0 = least significant; ct_label's bits 64..127 are the high word).
   */
  private boolean bit(MatchField f, int i) {
    if (i >= 64) {
      return ((ctLabelHigh >>> (i - 64)) & 1) != 0;
    }
    return ((values[f.ordinal()] >>> i) & 1) != 0;
  }

  private void setBit(MatchField f, int i, boolean on) {
    if (i >= 64) {
      long b = 1L << (i - 64);
      ctLabelHigh = on ? ctLabelHigh | b : ctLabelHigh & ~b;
      return;
    }
    long b = 1L << i;
    int o = f.ordinal();
    values[o] = on ? values[o] | b : values[o] & ~b;
  }

  /** The value of a subfield of at most 64 bits, right-aligned. */
  long read(SubField sf) {
    long v = 0;
    for (int i = sf.bits() - 1; i >= 0; i--) {
      v = (v << 1) | (bit(sf.field(), sf.offset() + i) ? 1 : 0);
    }
    return v;
  }

  /** {@code load:value->sf}: only the subfield's bits change. */
  void write(SubField sf, long value) {
    for (int i = 0; i < sf.bits(); i++) {
      setBit(sf.field(), sf.offset() + i, i < 64 && ((value >>> i) & 1) != 0);
    }
  }

  /** {@code move:src->dst}, bit by bit (so 128-bit ct_label moves work too). */
  void move(SubField src, SubField dst) {
    boolean[] bits = new boolean[src.bits()];
    for (int i = 0; i < bits.length; i++) {
      bits[i] = bit(src.field(), src.offset() + i);
    }
    for (int i = 0; i < bits.length; i++) {
      setBit(dst.field(), dst.offset() + i, bits[i]);
    }
  }

  /**
   * What OVS does after every {@code ct} action: the ct_* fields exist only in the recirculation.
   */
  void clearConntrack() {
    set(MatchField.CT_STATE, 0);
    set(MatchField.CT_ZONE, 0);
    set(MatchField.CT_MARK, 0);
    set(MatchField.CT_LABEL, 0);
    ctLabelHigh = 0;
  }
}
