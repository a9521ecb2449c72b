package dev.sluice.compiler.verdict;

import dev.sluice.compiler.cluster.Protocol;
import java.util.Locale;

/**
 * One connection attempt of the e2e model: a destination port over a protocol, written {@code
 * 80/TCP} as in the truth tables.
 */
record Probe(int port, Protocol protocol) implements Comparable<Probe> {

  Probe {
    if (port < 1 || port > 65_535) {
      throw new IllegalArgumentException("port " + port + " is not 1..65535");
    }
  }

  /** {@code 80/TCP}, {@code 81/UDP}, {@code 82/SCTP}. */
  static Probe parse(String text) {
    int slash = text.indexOf('/');
    if (slash < 0) {
      throw new IllegalArgumentException("probe '" + text + "' is not PORT/PROTOCOL");
    }
    return new Probe(
        Integer.parseInt(text.substring(0, slash)), Protocol.valueOf(text.substring(slash + 1)));
  }

  /** The protocol as OVS's flow syntax names it: {@code tcp}, {@code udp}, {@code sctp}. */
  String ovsProtocol() {
    return protocol.name().toLowerCase(Locale.ROOT);
  }

  @Override
  public int compareTo(Probe o) {
    int c = protocol.compareTo(o.protocol);
    return c != 0 ? c : Integer.compare(port, o.port);
  }

  @Override
  public String toString() {
    return port + "/" + protocol;
  }
}
