package dev.sluice.compiler.sim;

import dev.sluice.compiler.flow.Flow;
import dev.sluice.compiler.flow.FlowText;
import dev.sluice.compiler.flow.PortNames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The seed's flow files in {@code deploy/examples/packet-walk/flows} and the workers' ports. */
final class SeedFlows {
  static final PortNames WORKER1 =
      PortNames.of(
          Map.of(
              "antrea-tun0", 1L,
              "antrea-gw0", 2L,
              "coredns--3e3abf", 3L,
              "antrea-o-830766", 4L,
              "backend1-bab86f", 5L,
              "frontend-a3ba2f", 6L));

  static final PortNames WORKER2 =
      PortNames.of(
          Map.of(
              "antrea-tun0", 1L,
              "antrea-gw0", 2L,
              "coredns--d8f62c", 3L,
              "backend2-202ff6", 35L));

  private SeedFlows() {}

  static Path dir() {
    // Surefire and failsafe run in the module directory.
    Path p = Path.of("..", "deploy", "examples", "packet-walk", "flows");
    if (!Files.isDirectory(p)) {
      p = Path.of("deploy", "examples", "packet-walk", "flows");
    }
    return p;
  }

  static List<Flow> load(PortNames ports, String... files) {
    List<Flow> flows = new ArrayList<>();
    for (String f : files) {
      try {
        flows.addAll(FlowText.parseAll(Files.readString(dir().resolve(f)), ports, true));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return flows;
  }

  static List<Flow> worker1() {
    return load(WORKER1, "worker1.flows");
  }

  static List<Flow> worker2() {
    return load(WORKER2, "worker2.flows");
  }

  /** worker2 plus tables 90/100/105/110 the seed never printed (see the supplement's header). */
  static List<Flow> worker2Supplemented() {
    return load(WORKER2, "worker2.flows", "worker2-supplement.flows");
  }
}
