package dev.sluice.southbound.channel;

import java.nio.file.Path;
import java.util.Objects;

/** Where {@link OpenFlowServer} listens: a TCP address or a unix domain socket. */
public sealed interface ListenAddress {
  /**
   * TCP, the way switches reach a controller with {@code tcp:HOST:PORT} or {@code ssl:HOST:PORT}.
   * Port 0 picks a free port (see {@link OpenFlowServer#boundAddresses()}).
   */
  record Tcp(String host, int port) implements ListenAddress {
    public Tcp {
      Objects.requireNonNull(host, "host");
      if (port < 0 || port > 0xffff) {
        throw new IllegalArgumentException("TCP port out of range: " + port);
      }
    }

    @Override
    public String toString() {
      return "tcp:" + host + ":" + port;
    }
  }

  /** A unix socket, for bridges configured with {@code set-controller br-int unix:PATH}. */
  record Unix(Path path) implements ListenAddress {
    public Unix {
      Objects.requireNonNull(path, "path");
    }

    @Override
    public String toString() {
      return "unix:" + path;
    }
  }

  /** The OpenFlow default, {@code 0.0.0.0:6653}. */
  static ListenAddress defaultTcp() {
    return new Tcp("0.0.0.0", 6653);
  }

  static ListenAddress tcp(String host, int port) {
    return new Tcp(host, port);
  }

  static ListenAddress unix(Path path) {
    return new Unix(path);
  }

  /** Parses {@code tcp:HOST:PORT}, {@code unix:PATH} (or {@code punix:PATH}). */
  public static ListenAddress parse(String text) {
    if (text.startsWith("unix:") || text.startsWith("punix:")) {
      return new Unix(Path.of(text.substring(text.indexOf(':') + 1)));
    }
    String rest = text.startsWith("tcp:") ? text.substring(4) : text;
    int colon = rest.lastIndexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException("expected tcp:HOST:PORT or unix:PATH, got " + text);
    }
    String host = rest.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    return new Tcp(host, Integer.parseInt(rest.substring(colon + 1)));
  }
}
