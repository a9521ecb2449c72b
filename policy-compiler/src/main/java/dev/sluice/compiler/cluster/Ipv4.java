package dev.sluice.compiler.cluster;

/**
 * An IPv4 address, backed by its 32 bits in an {@code int} (network byte order, so {@code
 * 10.222.1.48} is {@code 0x0ade0130}). Ordering is unsigned, i.e. numeric address order.
 *
 * @param bits the address as a 32-bit big-endian value
 */
public record Ipv4(int bits) implements Comparable<Ipv4> {

  /**
   * Parses dotted-quad text ({@code 10.222.1.48}). Each octet is 0..255 in decimal without a sign;
   * leading zeros are refused, as Go's {@code net.ParseIP} does since 1.17 (they are octal to some
   * parsers and therefore ambiguous).
   *
   * @throws IllegalArgumentException with a message that quotes the text
   */
  public static Ipv4 parse(String text) {
    if (text == null) {
      throw new IllegalArgumentException("IPv4 address is missing");
    }
    String[] parts = text.split("\\.", -1);
    if (parts.length != 4) {
      throw new IllegalArgumentException("'" + text + "' is not an IPv4 address");
    }
    int bits = 0;
    for (String part : parts) {
      if (part.isEmpty()
          || part.length() > 3
          || !part.chars().allMatch(c -> c >= '0' && c <= '9')
          || (part.length() > 1 && part.charAt(0) == '0')) {
        throw new IllegalArgumentException("'" + text + "' is not an IPv4 address");
      }
      int octet = Integer.parseInt(part);
      if (octet > 255) {
        throw new IllegalArgumentException("'" + text + "' is not an IPv4 address");
      }
      bits = bits << 8 | octet;
    }
    return new Ipv4(bits);
  }

  /** The address from four octets, most significant first. */
  public static Ipv4 of(int a, int b, int c, int d) {
    for (int octet : new int[] {a, b, c, d}) {
      if (octet < 0 || octet > 255) {
        throw new IllegalArgumentException("octet out of range: " + octet);
      }
    }
    return new Ipv4(a << 24 | b << 16 | c << 8 | d);
  }

  /** The address as an unsigned value, 0 .. 2^32-1. */
  public long toLong() {
    return Integer.toUnsignedLong(bits);
  }

  /** The octet at {@code index} (0 = most significant). */
  public int octet(int index) {
    if (index < 0 || index > 3) {
      throw new IndexOutOfBoundsException(index);
    }
    return bits >>> (24 - 8 * index) & 0xff;
  }

  /** The address {@code delta} further on, wrapping modulo 2^32. */
  public Ipv4 plus(long delta) {
    return new Ipv4((int) (toLong() + delta));
  }

  @Override
  public int compareTo(Ipv4 other) {
    return Integer.compareUnsigned(bits, other.bits);
  }

  /** Dotted-quad text. */
  @Override
  public String toString() {
    return octet(0) + "." + octet(1) + "." + octet(2) + "." + octet(3);
  }
}
