package dev.sluice.compiler.cluster;

import java.util.Locale;

/** The L4 protocols a Kubernetes port can name ({@code protocol:} defaults to TCP everywhere). */
public enum Protocol {
  TCP(6),
  UDP(17),
  SCTP(132);

  private final int ipProtocolNumber;

  Protocol(int ipProtocolNumber) {
    this.ipProtocolNumber = ipProtocolNumber;
  }

  /** The IP protocol number ({@code nw_proto}). */
  public int ipProtocolNumber() {
    return ipProtocolNumber;
  }

  /**
   * Parses a Kubernetes protocol name; {@code null} or empty means TCP (the API default). Names are
   * case-sensitive upstream, but lower case is accepted since it is unambiguous.
   *
   * @throws IllegalArgumentException for any other name
   */
  public static Protocol parse(String name) {
    if (name == null || name.isEmpty()) {
      return TCP;
    }
    try {
      return valueOf(name.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "unsupported protocol '" + name + "' (expected TCP, UDP or SCTP)", e);
    }
  }
}
