package dev.sluice.compiler.flow;

import java.util.Locale;
import java.util.OptionalLong;

/** OpenFlow 1.3 port numbers (32 bits, {@code ofp_port_no}) and their reserved names. */
public final class OfPort {
  public static final long MAX = 0xffffff00L;
  public static final long IN_PORT = 0xfffffff8L;
  public static final long TABLE = 0xfffffff9L;
  public static final long NORMAL = 0xfffffffaL;
  public static final long FLOOD = 0xfffffffbL;
  public static final long ALL = 0xfffffffcL;
  public static final long CONTROLLER = 0xfffffffdL;
  public static final long LOCAL = 0xfffffffeL;
  public static final long ANY = 0xffffffffL;

  private OfPort() {}

  /** The reserved name ovs-ofctl prints for {@code port}, or null for a physical port. */
  public static String reservedName(long port) {
    if (port == IN_PORT) {
      return "IN_PORT";
    } else if (port == TABLE) {
      return "TABLE";
    } else if (port == NORMAL) {
      return "NORMAL";
    } else if (port == FLOOD) {
      return "FLOOD";
    } else if (port == ALL) {
      return "ALL";
    } else if (port == CONTROLLER) {
      return "CONTROLLER";
    } else if (port == LOCAL) {
      return "LOCAL";
    } else if (port == ANY) {
      return "ANY";
    }
    return null;
  }

  /** Parses a reserved port name (case-insensitive), e.g. {@code LOCAL}. */
  public static OptionalLong parseReserved(String name) {
    return switch (name.toUpperCase(Locale.ROOT)) {
      case "IN_PORT" -> OptionalLong.of(IN_PORT);
      case "TABLE" -> OptionalLong.of(TABLE);
      case "NORMAL" -> OptionalLong.of(NORMAL);
      case "FLOOD" -> OptionalLong.of(FLOOD);
      case "ALL" -> OptionalLong.of(ALL);
      case "CONTROLLER" -> OptionalLong.of(CONTROLLER);
      case "LOCAL" -> OptionalLong.of(LOCAL);
      case "ANY", "NONE" -> OptionalLong.of(ANY);
      default -> OptionalLong.empty();
    };
  }
}
