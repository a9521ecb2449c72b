package dev.sluice.compiler.compile;

import dev.sluice.compiler.cluster.Protocol;
import dev.sluice.compiler.flow.FieldMatch;
import dev.sluice.compiler.flow.Match;
import dev.sluice.compiler.flow.MatchField;
import java.util.ArrayList;
import java.util.List;

/**
 * A resolved destination-port range of one protocol, {@code lo..hi} inclusive; {@code 0..65535} is
 * "every port of the protocol". Ordered by protocol, then range.
 *
 * @param protocol the L4 protocol
 * @param lo first port
 * @param hi last port
 */
record PortRange(Protocol protocol, int lo, int hi) implements Comparable<PortRange> {

  /** Validates the range. */
  public PortRange {
    if (lo < 0 || hi > 65535 || lo > hi) {
      throw new IllegalArgumentException("bad port range " + lo + ".." + hi);
    }
  }

  /** Every port of {@code protocol}. */
  public static PortRange any(Protocol protocol) {
    return new PortRange(protocol, 0, 65535);
  }

  /** One port. */
  public static PortRange single(Protocol protocol, int port) {
    return new PortRange(protocol, port, port);
  }

  /**
   * The matches for this range: {@code tcp} for every port, {@code tcp,tp_dst=80} for one port,
   * else the minimal list of {@code tp_dst=value/mask} blocks covering {@code lo..hi} exactly (the
   * classic prefix split: at most 2·16 − 2 blocks).
   */
  public List<Match> matches() {
    List<Match> out = new ArrayList<>();
    int p = protocol.ipProtocolNumber();
    long start = lo;
    long end = hi;
    while (start <= end) {
      // Largest aligned block starting at `start` that does not pass `end`.
      int size = 0;
      while (size < 16
          && (start & ((1L << (size + 1)) - 1)) == 0
          && start + (1L << (size + 1)) - 1 <= end) {
        size++;
      }
      long mask = 0xffff & ~((1L << size) - 1);
      Match.Builder b = Match.builder().ipProto(p);
      if (mask != 0) {
        b.add(
            mask == 0xffff
                ? FieldMatch.exact(MatchField.TP_DST, start)
                : FieldMatch.masked(MatchField.TP_DST, start, mask));
      }
      out.add(b.build());
      start += 1L << size;
    }
    return out;
  }

  @Override
  public int compareTo(PortRange o) {
    int c = protocol.compareTo(o.protocol);
    if (c == 0) {
      c = Integer.compare(lo, o.lo);
    }
    return c != 0 ? c : Integer.compare(hi, o.hi);
  }

  @Override
  public String toString() {
    String r = lo == 0 && hi == 65535 ? "*" : lo == hi ? Integer.toString(lo) : lo + "-" + hi;
    return protocol + ":" + r;
  }
}
