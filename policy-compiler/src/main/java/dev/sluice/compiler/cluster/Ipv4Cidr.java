package dev.sluice.compiler.cluster;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * An IPv4 prefix: a network address with no host bits set and a prefix length 0..32.
 *
 * @param network the first address of the block (host bits zero)
 * @param prefix the prefix length, 0..32
 */
public record Ipv4Cidr(Ipv4 network, int prefix) implements Comparable<Ipv4Cidr> {

  /** Validates that the prefix is in range and that no host bit is set. */
  public Ipv4Cidr {
    if (network == null) {
      throw new IllegalArgumentException("network is missing");
    }
    if (prefix < 0 || prefix > 32) {
      throw new IllegalArgumentException("prefix length " + prefix + " is not in 0..32");
    }
    if ((network.bits() & ~mask(prefix)) != 0) {
      throw new IllegalArgumentException(
          "host bits set in "
              + network
              + "/"
              + prefix
              + " (network is "
              + masked(network, prefix)
              + ")");
    }
  }

  /**
   * Parses {@code a.b.c.d/n}. Host bits are cleared, as Go's {@code net.ParseCIDR} does for the
   * network it returns (Kubernetes and Antrea parse with it), so {@code 10.0.0.1/24} means {@code
   * 10.0.0.0/24}. A bare address without {@code /n} is refused.
   *
   * @throws IllegalArgumentException with a message that quotes the text
   */
  public static Ipv4Cidr parse(String text) {
    if (text == null) {
      throw new IllegalArgumentException("CIDR is missing");
    }
    int slash = text.indexOf('/');
    if (slash < 0) {
      throw new IllegalArgumentException("'" + text + "' is not a CIDR (no /prefix)");
    }
    Ipv4 address;
    try {
      address = Ipv4.parse(text.substring(0, slash));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("'" + text + "' is not an IPv4 CIDR", e);
    }
    String len = text.substring(slash + 1);
    if (len.isEmpty()
        || len.length() > 2
        || !len.chars().allMatch(c -> c >= '0' && c <= '9')
        || (len.length() > 1 && len.charAt(0) == '0')) {
      throw new IllegalArgumentException("'" + text + "' has an invalid prefix length");
    }
    int prefix = Integer.parseInt(len);
    if (prefix > 32) {
      throw new IllegalArgumentException("'" + text + "' has a prefix length above 32");
    }
    return new Ipv4Cidr(masked(address, prefix), prefix);
  }

  /** The single-address block {@code ip/32}. */
  public static Ipv4Cidr host(Ipv4 ip) {
    return new Ipv4Cidr(ip, 32);
  }

  /** The netmask of a prefix length as 32 bits ({@code /24} → {@code 0xffffff00}). */
  public static int mask(int prefix) {
    return prefix == 0 ? 0 : -1 << (32 - prefix);
  }

  private static Ipv4 masked(Ipv4 address, int prefix) {
    return new Ipv4(address.bits() & mask(prefix));
  }

  /** The netmask as an address ({@code 255.255.255.0}). */
  public Ipv4 netmask() {
    return new Ipv4(mask(prefix));
  }

  /** Number of addresses in the block, 1 .. 2^32. */
  public long size() {
    return 1L << (32 - prefix);
  }

  /** The last address of the block (the broadcast address for prefixes below 31). */
  public Ipv4 last() {
    return network.plus(size() - 1);
  }

  /** Whether {@code ip} lies in this block. */
  public boolean contains(Ipv4 ip) {
    return (ip.bits() & mask(prefix)) == network.bits();
  }

  /** Whether {@code other} lies entirely in this block (a block contains itself). */
  public boolean contains(Ipv4Cidr other) {
    return other.prefix >= prefix && contains(other.network);
  }

  /**
   * Whether the two blocks share at least one address (for prefixes, one then contains the other).
   */
  public boolean overlaps(Ipv4Cidr other) {
    return contains(other) || other.contains(this);
  }

  /**
   * This block minus every block in {@code excepts}, as the minimal list of CIDRs that covers
   * exactly the remaining addresses, sorted by address. This is how a NetworkPolicy {@code ipBlock}
   * with {@code except} becomes plain prefix matches.
   *
   * <p>The blocks returned are exactly the maximal aligned blocks inside the difference: the
   * recursion halves a block only while some except overlaps it without covering it, so a block is
   * emitted whole as soon as no except touches it. Since a CIDR decomposition of any address set
   * into maximal aligned blocks is unique and no smaller decomposition exists, the result is
   * minimal. Excepts outside this block are ignored. Cost: O(32 × excepts) blocks visited per
   * except.
   */
  public List<Ipv4Cidr> subtract(Collection<Ipv4Cidr> excepts) {
    List<Ipv4Cidr> relevant = new ArrayList<>();
    for (Ipv4Cidr except : excepts) {
      if (overlaps(except)) {
        relevant.add(except);
      }
    }
    List<Ipv4Cidr> out = new ArrayList<>();
    subtractInto(this, relevant, out);
    return List.copyOf(out);
  }

  /** Varargs form of {@link #subtract(Collection)}. */
  public List<Ipv4Cidr> subtract(Ipv4Cidr... excepts) {
    return subtract(List.of(excepts));
  }

  private static void subtractInto(Ipv4Cidr block, List<Ipv4Cidr> excepts, List<Ipv4Cidr> out) {
    boolean touched = false;
    for (Ipv4Cidr except : excepts) {
      if (except.contains(block)) {
        return; // entirely excluded
      }
      if (block.contains(except)) {
        touched = true;
      }
    }
    if (!touched) {
      out.add(block);
      return;
    }
    int half = block.prefix + 1;
    Ipv4Cidr low = new Ipv4Cidr(block.network, half);
    Ipv4Cidr high = new Ipv4Cidr(block.network.plus(1L << (32 - half)), half);
    subtractInto(low, excepts, out);
    subtractInto(high, excepts, out);
  }

  /** Orders by network address, then by prefix length (shorter first). */
  @Override
  public int compareTo(Ipv4Cidr other) {
    int c = network.compareTo(other.network);
    return c != 0 ? c : Integer.compare(prefix, other.prefix);
  }

  /** {@code a.b.c.d/n}. */
  @Override
  public String toString() {
    return network + "/" + prefix;
  }
}
