package dev.sluice.compiler.compile;

import dev.sluice.compiler.cluster.PodInfo;
import dev.sluice.compiler.flow.PortNames;
import dev.sluice.compiler.pipeline.Marks;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Comparator;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * OpenFlow port numbers of one node's {@code br-int}, by interface name.
 *
 * <p>Given explicitly ({@code --ports FILE}: CSV lines {@code name,ofport}, {@code #} comments
 * allowed, as {@code ovs-vsctl -f csv --no-headings --columns=name,ofport list Interface} prints)
 * or learned from the switch. Without either, {@link #defaultNumbering} numbers the ports: {@code
 * antrea-tun0} = 1, {@code antrea-gw0} = 2, then the node's pods 3, 4, … sorted by {@code
 * namespace/name} (so adding or removing a pod renumbers the pods after it on that node; the
 * incremental compiler recompiles exactly those pods' flows).
 *
 * @param byName interface name → ofport
 */
public record PortMap(Map<String, Long> byName) {

  /** Copies into a sorted map; validates numbers. */
  public PortMap {
    byName.forEach(
        (n, p) -> {
          if (p < 1 || p > 0xffffff00L) {
            throw new IllegalArgumentException("port " + n + "=" + p + " is not 1..0xffffff00");
          }
        });
    byName = java.util.Collections.unmodifiableMap(new TreeMap<>(byName));
  }

  /** The default numbering for a node with {@code pods} (any order; sorted here). */
  public static PortMap defaultNumbering(Collection<PodInfo> pods) {
    TreeMap<String, Long> m = new TreeMap<>();
    m.put(Marks.TUNNEL_PORT, 1L);
    m.put(Marks.GATEWAY_PORT, 2L);
    long next = 3;
    for (PodInfo p :
        pods.stream()
            .sorted(Comparator.comparing(PodInfo::namespace).thenComparing(PodInfo::name))
            .toList()) {
      m.put(p.interfaceName(), next++);
    }
    return new PortMap(m);
  }

  /** Parses {@code name,ofport} lines. */
  public static PortMap parseCsv(String text) {
    TreeMap<String, Long> m = new TreeMap<>();
    int lineNo = 0;
    for (String raw : text.split("\n", -1)) {
      lineNo++;
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] parts = line.split(",");
      if (parts.length != 2) {
        throw new IllegalArgumentException("line " + lineNo + ": expected name,ofport: " + line);
      }
      String name = parts[0].strip().replace("\"", "");
      try {
        m.put(name, Long.parseLong(parts[1].strip()));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("line " + lineNo + ": bad ofport: " + line, e);
      }
    }
    return new PortMap(m);
  }

  /** Reads a CSV file. */
  public static PortMap readCsv(Path file) throws IOException {
    return parseCsv(Files.readString(file, StandardCharsets.UTF_8));
  }

  /** The port of interface {@code name}. */
  public OptionalLong port(String name) {
    Long p = byName.get(name);
    return p == null ? OptionalLong.empty() : OptionalLong.of(p);
  }

  /** The tunnel port, 1 when not given. */
  public long tunnel() {
    return port(Marks.TUNNEL_PORT).orElse(1);
  }

  /** The gateway port, 2 when not given. */
  public long gateway() {
    return port(Marks.GATEWAY_PORT).orElse(2);
  }

  /** Name ⇄ number translation for printing and parsing flows of this node. */
  public PortNames names() {
    return PortNames.of(byName);
  }
}
