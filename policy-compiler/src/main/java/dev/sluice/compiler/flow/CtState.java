package dev.sluice.compiler.flow;

/**
 * Conntrack state bits ({@code ct_state}), in OVS's order: new 0x01, est 0x02, rel 0x04, rpl 0x08,
 * inv 0x10, trk 0x20, snat 0x40, dnat 0x80. Printed as {@code -new+trk}: one sign and name per bit
 * of the mask, lowest bit first.
 */
public final class CtState {
  public static final int NEW = 0x01;
  public static final int EST = 0x02;
  public static final int REL = 0x04;
  public static final int RPL = 0x08;
  public static final int INV = 0x10;
  public static final int TRK = 0x20;
  public static final int SNAT = 0x40;
  public static final int DNAT = 0x80;

  private static final String[] NAMES = {"new", "est", "rel", "rpl", "inv", "trk", "snat", "dnat"};

  private CtState() {}

  /** {@code -new+trk} for value 0x20, mask 0x21. */
  public static String format(long value, long mask) {
    StringBuilder sb = new StringBuilder();
    for (int bit = 0; bit < 32; bit++) {
      long b = 1L << bit;
      if ((mask & b) == 0) {
        continue;
      }
      if (bit >= NAMES.length) {
        // Bits OVS has no name for: fall back to the numeric form.
        return "0x" + Long.toHexString(value) + "/0x" + Long.toHexString(mask);
      }
      sb.append((value & b) != 0 ? '+' : '-').append(NAMES[bit]);
    }
    return sb.toString();
  }

  /** Parses {@code +trk-new}, {@code trk}, or {@code 0x20/0x21}; returns {value, mask}. */
  public static long[] parse(String text) {
    String t = text.strip();
    if (t.startsWith("0x") || Character.isDigit(t.isEmpty() ? 'x' : t.charAt(0))) {
      int slash = t.indexOf('/');
      long v = Values.parseNumber(slash < 0 ? t : t.substring(0, slash));
      long m = slash < 0 ? 0xffffffffL : Values.parseNumber(t.substring(slash + 1));
      return new long[] {v & m, m};
    }
    long value = 0;
    long mask = 0;
    int i = 0;
    while (i < t.length()) {
      char sign = '+';
      if (t.charAt(i) == '+' || t.charAt(i) == '-') {
        sign = t.charAt(i++);
      }
      int j = i;
      while (j < t.length() && Character.isLetter(t.charAt(j))) {
        j++;
      }
      String name = t.substring(i, j);
      int bit = bitOf(name);
      if (bit < 0) {
        throw new FlowParseException("ct_state: unknown flag '" + name + "' in '" + text + "'");
      }
      mask |= 1L << bit;
      if (sign == '+') {
        value |= 1L << bit;
      }
      i = j;
      while (i < t.length() && t.charAt(i) == '|') {
        i++;
      }
    }
    return new long[] {value, mask};
  }

  private static int bitOf(String name) {
    for (int i = 0; i < NAMES.length; i++) {
      if (NAMES[i].equals(name)) {
        return i;
      }
    }
    return -1;
  }
}
