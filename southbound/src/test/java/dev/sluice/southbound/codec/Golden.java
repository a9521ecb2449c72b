package dev.sluice.southbound.codec;

import dev.sluice.compiler.flow.PortNames;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/** Test helpers: golden files and hex. */
final class Golden {
  /** Ports of the seed's worker1 bridge, where the captures were made. */
  static final PortNames WORKER1 =
      PortNames.of(
          Map.of(
              "antrea-tun0", 1L,
              "antrea-gw0", 2L,
              "coredns--3e3abf", 3L,
              "antrea-o-830766", 4L,
              "backend1-bab86f", 5L,
              "frontend-a3ba2f", 6L));

  private Golden() {}

  static String resource(String path) throws IOException {
    try (InputStream in = Golden.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new IOException("missing test resource " + path);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** Non-comment lines split on tabs. */
  static List<String[]> rows(String path) throws IOException {
    List<String[]> rows = new ArrayList<>();
    for (String line : resource(path).split("\n")) {
      if (!line.startsWith("#") && !line.isBlank()) {
        rows.add(line.split("\t", -1));
      }
    }
    return rows;
  }

  static ByteBuf buf(String hex) {
    return Unpooled.wrappedBuffer(HexFormat.of().parseHex(hex));
  }

  static String hex(ByteBuf b) {
    byte[] a = new byte[b.readableBytes()];
    b.getBytes(b.readerIndex(), a);
    return HexFormat.of().formatHex(a);
  }
}
