package dev.sluice.compiler.flow;

/**
 * A bit range of a field, {@code NXM_NX_REG0[0..15]}: bits {@code offset .. offset+bits-1}. On the
 * wire this is the NXM header plus {@code ofs_nbits = offset << 6 | (bits - 1)}.
 */
public record SubField(MatchField field, int offset, int bits) {
  public SubField {
    if (!field.hasNxmName()) {
      throw new IllegalArgumentException(field.ovsName() + " cannot be read or written");
    }
    if (offset < 0 || bits < 1 || offset + bits > field.bits()) {
      throw new IllegalArgumentException(
          field.nxmName()
              + "["
              + offset
              + ".."
              + (offset + bits - 1)
              + "] is outside the field's "
              + field.bits()
              + " bits");
    }
  }

  /** The whole field, printed as {@code NXM_NX_REG1[]}. */
  public static SubField whole(MatchField field) {
    return new SubField(field, 0, field.bits());
  }

  /** Bits {@code from..to} inclusive, as written in {@code [from..to]}. */
  public static SubField range(MatchField field, int from, int to) {
    return new SubField(field, from, to - from + 1);
  }

  public static SubField bit(MatchField field, int bit) {
    return new SubField(field, bit, 1);
  }

  public boolean isWhole() {
    return offset == 0 && bits == field.bits();
  }

  /** The mask of this range within the field's low 64 bits. */
  public long mask() {
    long m = bits >= 64 ? -1L : (1L << bits) - 1;
    return m << offset;
  }

  @Override
  public String toString() {
    String n = field.nxmName();
    if (isWhole()) {
      return n + "[]";
    }
    if (bits == 1) {
      return n + "[" + offset + "]";
    }
    return n + "[" + offset + ".." + (offset + bits - 1) + "]";
  }
}
