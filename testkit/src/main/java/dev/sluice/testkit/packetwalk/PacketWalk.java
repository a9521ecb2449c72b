package dev.sluice.testkit.packetwalk;

import dev.sluice.testkit.ovs.OvsNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The packet-walk example ({@code deploy/examples/packet-walk}, described in its {@code
 * README.md}): a two-worker cluster ({@code worker1}, {@code worker2}, plus a master without a
 * switch) whose manifests, OpenFlow port numbers ({@code ports-<node>.csv}) and recorded flow
 * tables ({@code flows/<node>.flows}) most integration tests start from.
 *
 * <p>Paths are resolved against the working directory, which is the module directory under Maven
 * ({@code ../deploy/...}) or the repository root when run from there ({@code deploy/...}).
 *
 * <p>{@link #startNode} gives a worker's switch as the example has it: an {@link OvsNode} (dummy
 * datapath) with Antrea's {@code br-int}, datapath id 1 for worker1 and 2 for worker2, every port
 * of the worker's CSV at its number.
 */
public final class PacketWalk {
  /** The nodes that have a switch, in datapath-id order. */
  public static final List<String> WORKERS = List.of("worker1", "worker2");

  /** The bridge the example's flows are for. */
  public static final String BRIDGE = "br-int";

  private static final Path RELATIVE = Path.of("deploy", "examples", "packet-walk");

  private PacketWalk() {}

  /** {@code deploy/examples/packet-walk}; fails when run from neither a module nor the root. */
  public static Path dir() {
    for (Path candidate : List.of(Path.of("..").resolve(RELATIVE), RELATIVE)) {
      if (Files.isDirectory(candidate.resolve("manifests"))) {
        return candidate;
      }
    }
    throw new IllegalStateException(
        "the packet-walk example ("
            + RELATIVE
            + ") is not under "
            + Path.of("").toAbsolutePath()
            + " or its parent: run from the repository root or a module directory");
  }

  /** The manifests directory: Nodes, Namespaces, Pods, Services and NetworkPolicies. */
  public static Path manifests() {
    return dir().resolve("manifests");
  }

  /** The directory of recorded flow tables, {@code <node>.flows}. */
  public static Path flowsDir() {
    return dir().resolve("flows");
  }

  /** {@code flows/<node>.flows}: the node's {@code br-int} as Antrea installed it. */
  public static Path flows(String node) {
    return flowsDir().resolve(node + ".flows");
  }

  /** {@code ports-<node>.csv}: {@code name,ofport} per line, what {@code --ports} reads. */
  public static Path portsCsv(String node) {
    return dir().resolve("ports-" + checkWorker(node) + ".csv");
  }

  /** The node's ports from its CSV, {@code name → OpenFlow port number}, in file order. */
  public static Map<String, Integer> ports(String node) {
    Path csv = portsCsv(node);
    Map<String, Integer> ports = new LinkedHashMap<>();
    List<String> lines;
    try {
      lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + csv, e);
    }
    for (String raw : lines) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int comma = line.indexOf(',');
      if (comma <= 0) {
        throw new IllegalStateException(csv + ": not name,ofport: " + raw);
      }
      ports.put(
          line.substring(0, comma).strip(), Integer.parseInt(line.substring(comma + 1).strip()));
    }
    return ports;
  }

  /** The node's datapath id: its position in {@link #WORKERS}, from 1. */
  public static long datapathId(String node) {
    return WORKERS.indexOf(checkWorker(node)) + 1L;
  }

  /**
   * Starts a private OVS node holding the worker's {@code br-int}: Antrea's bridge ({@link
   * OvsNode#createAntreaBridge}) with {@link #datapathId} and every port of {@link #ports} at its
   * number. No controller and no flows yet. The caller closes the node; on a failure here it is
   * closed (its daemons stopped) before the exception propagates.
   */
  public static OvsNode startNode(String node) {
    Map<String, Integer> ports = ports(node);
    OvsNode ovs = OvsNode.start();
    try {
      ovs.createAntreaBridge(BRIDGE, datapathId(node));
      ovs.addPorts(BRIDGE, ports);
      return ovs;
    } catch (RuntimeException | Error e) {
      try {
        ovs.close();
      } catch (RuntimeException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  private static String checkWorker(String node) {
    if (!WORKERS.contains(node)) {
      throw new IllegalArgumentException(node + " is not one of the example's workers " + WORKERS);
    }
    return node;
  }
}
