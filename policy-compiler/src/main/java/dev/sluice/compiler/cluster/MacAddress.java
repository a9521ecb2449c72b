package dev.sluice.compiler.cluster;

/**
 * A 48-bit Ethernet MAC address, backed by a {@code long} whose low 48 bits are the address (first
 * octet most significant, so {@code 4e:99:08:c1:53:be} is {@code 0x4e9908c153beL} — the value
 * Antrea loads with {@code load:0x4e9908c153be->NXM_OF_ETH_DST[]}).
 *
 * @param bits the address in the low 48 bits; the high 16 bits are zero
 */
public record MacAddress(long bits) implements Comparable<MacAddress> {

  /** Prefix of every MAC Sluice derives: {@code 0a:58}, locally administered and unicast. */
  static final long DERIVED_PREFIX = 0x0a58L;

  /** Validates that only the low 48 bits are used. */
  public MacAddress {
    if ((bits & ~0xffff_ffff_ffffL) != 0) {
      throw new IllegalArgumentException(
          "MAC address wider than 48 bits: 0x" + Long.toHexString(bits));
    }
  }

  /**
   * Parses six colon- (or dash-) separated hex octets, either case ({@code BE:2C:bf:e4:ec:c5}).
   *
   * @throws IllegalArgumentException with a message that quotes the text
   */
  public static MacAddress parse(String text) {
    if (text == null) {
      throw new IllegalArgumentException("MAC address is missing");
    }
    String[] parts = text.split("[:-]", -1);
    if (parts.length != 6) {
      throw new IllegalArgumentException("'" + text + "' is not a MAC address");
    }
    long bits = 0;
    for (String part : parts) {
      if (part.length() != 2
          || Character.digit(part.charAt(0), 16) < 0
          || Character.digit(part.charAt(1), 16) < 0) {
        throw new IllegalArgumentException("'" + text + "' is not a MAC address");
      }
      bits = bits << 8 | Integer.parseInt(part, 16);
    }
    return new MacAddress(bits);
  }

  /**
   * The MAC Sluice derives for an IPv4 address: {@code 0a:58:} followed by the four address octets
   * (10.222.1.48 → {@code 0a:58:0a:de:01:30}). This is the scheme of the Kubernetes CNI {@code
   * bridge} plugin and OVN-Kubernetes; {@code 0x0a} has the locally-administered bit set and the
   * multicast bit clear, so it never collides with a vendor (OUI) address.
   */
  public static MacAddress derivedFrom(Ipv4 ip) {
    return new MacAddress(DERIVED_PREFIX << 32 | ip.toLong());
  }

  /** The octet at {@code index} (0 = first on the wire). */
  public int octet(int index) {
    if (index < 0 || index > 5) {
      throw new IndexOutOfBoundsException(index);
    }
    return (int) (bits >>> (40 - 8 * index)) & 0xff;
  }

  /** Whether the I/G bit (least significant bit of the first octet) is set. */
  public boolean isMulticast() {
    return (octet(0) & 1) != 0;
  }

  /** Whether the U/L bit (second least significant bit of the first octet) is set. */
  public boolean isLocallyAdministered() {
    return (octet(0) & 2) != 0;
  }

  @Override
  public int compareTo(MacAddress other) {
    return Long.compare(bits, other.bits);
  }

  /** Lower-case colon form, {@code be:2c:bf:e4:ec:c5}, as {@code ovs-ofctl} prints it. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(17);
    for (int i = 0; i < 6; i++) {
      if (i > 0) {
        sb.append(':');
      }
      int o = octet(i);
      sb.append(Character.forDigit(o >> 4, 16)).append(Character.forDigit(o & 0xf, 16));
    }
    return sb.toString();
  }
}
