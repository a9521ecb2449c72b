package dev.sluice.compiler.flow;

import java.util.Locale;

/** Number, MAC and IPv4 text forms shared by the parser and the printer (package-private). */
final class Values {
  private Values() {}

  /** {@code %#x}: {@code 0} for zero, otherwise {@code 0x} and lower-case hex. */
  static String hex(long v) {
    return v == 0 ? "0" : "0x" + Long.toHexString(v);
  }

  static String mac(long v) {
    StringBuilder sb = new StringBuilder(17);
    for (int i = 5; i >= 0; i--) {
      int b = (int) (v >>> (i * 8)) & 0xff;
      sb.append(Character.forDigit(b >> 4, 16)).append(Character.forDigit(b & 0xf, 16));
      if (i > 0) {
        sb.append(':');
      }
    }
    return sb.toString();
  }

  static String ip(long v) {
    return ((v >>> 24) & 0xff)
        + "."
        + ((v >>> 16) & 0xff)
        + "."
        + ((v >>> 8) & 0xff)
        + "."
        + (v & 0xff);
  }

  /** Prefix length when {@code mask} is a CIDR mask, else -1. */
  static int prefixLength(long mask) {
    int m = (int) mask;
    int len = Integer.bitCount(m);
    return m == (len == 0 ? 0 : -1 << (32 - len)) ? len : -1;
  }

  static long parseNumber(String s) {
    String t = s.trim();
    try {
      if (t.startsWith("0x") || t.startsWith("0X")) {
        return Long.parseUnsignedLong(t.substring(2), 16);
      }
      return Long.parseLong(t);
    } catch (NumberFormatException e) {
      throw new FlowParseException("'" + s + "' is not a number", e);
    }
  }

  static long parseMac(String s) {
    String[] parts = s.trim().split(":");
    if (parts.length != 6) {
      throw new FlowParseException("'" + s + "' is not a MAC address");
    }
    long v = 0;
    for (String p : parts) {
      if (p.isEmpty() || p.length() > 2) {
        throw new FlowParseException("'" + s + "' is not a MAC address");
      }
      try {
        v = (v << 8) | Integer.parseInt(p, 16);
      } catch (NumberFormatException e) {
        throw new FlowParseException("'" + s + "' is not a MAC address", e);
      }
    }
    return v;
  }

  static long parseIp(String s) {
    String[] parts = s.trim().split("\\.", -1);
    if (parts.length != 4) {
      throw new FlowParseException("'" + s + "' is not an IPv4 address");
    }
    long v = 0;
    for (String p : parts) {
      int b;
      try {
        b = Integer.parseInt(p);
      } catch (NumberFormatException e) {
        throw new FlowParseException("'" + s + "' is not an IPv4 address", e);
      }
      if (b < 0 || b > 255) {
        throw new FlowParseException("'" + s + "' is not an IPv4 address");
      }
      v = (v << 8) | b;
    }
    return v;
  }

  static boolean looksLikeMac(String s) {
    return s.indexOf(':') > 0 && s.split(":").length == 6;
  }

  static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }
}
