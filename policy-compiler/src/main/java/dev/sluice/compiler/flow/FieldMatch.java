package dev.sluice.compiler.flow;

/**
 * One field of a match: {@code field=value/mask}. Fields up to 64 bits use {@code value}/{@code
 * mask}; the high halves are only non-zero for 128-bit fields ({@code ct_label}).
 *
 * <p>The value is stored already masked, so two matches that OVS considers equal compare equal.
 */
public record FieldMatch(MatchField field, long value, long mask, long valueHigh, long maskHigh) {

  public FieldMatch {
    if (field.bits() < 64) {
      long full = field.fullMask();
      if ((mask & ~full) != 0 || (value & ~full) != 0) {
        throw new IllegalArgumentException(
            field.ovsName()
                + ": value 0x"
                + Long.toHexString(value)
                + "/0x"
                + Long.toHexString(mask)
                + " exceeds the field's "
                + field.bits()
                + " bits");
      }
    }
    if (field.bits() <= 64 && (valueHigh != 0 || maskHigh != 0)) {
      throw new IllegalArgumentException(field.ovsName() + " has no high 64 bits");
    }
    if (mask == 0 && maskHigh == 0) {
      throw new IllegalArgumentException(field.ovsName() + ": an all-zero mask matches nothing");
    }
    value &= mask;
    valueHigh &= maskHigh;
  }

  /** An exact match on the whole field. */
  public static FieldMatch exact(MatchField field, long value) {
    return new FieldMatch(field, value, field.fullMask(), 0, field.bits() > 64 ? -1L : 0);
  }

  /** A masked match; a full mask is the same as {@link #exact}. */
  public static FieldMatch masked(MatchField field, long value, long mask) {
    return new FieldMatch(field, value, mask, 0, 0);
  }

  public boolean isExact() {
    return mask == field.fullMask() && (field.bits() <= 64 || maskHigh == -1L);
  }

  /** Whether a packet field value (low 64 bits) satisfies this match. */
  public boolean matches(long packetValue) {
    return (packetValue & mask) == value;
  }
}
