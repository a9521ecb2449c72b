package dev.sluice.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.compiler.cluster.ClusterState;
import dev.sluice.compiler.cluster.ManifestReader;
import dev.sluice.compiler.compile.ConjCanonicalizer;
import dev.sluice.compiler.compile.PortMap;
import dev.sluice.compiler.flow.Flow;
import dev.sluice.compiler.flow.FlowText;
import dev.sluice.compiler.flow.PortNames;
import dev.sluice.controller.harness.Cli;
import dev.sluice.controller.harness.Cli.Run;
import dev.sluice.testkit.ovs.OvsNode;
import dev.sluice.testkit.packetwalk.PacketWalk;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * {@code sluice compile} as the compiler issue's acceptance puts it: {@code sluice compile -f
 * deploy/examples/packet-walk --node worker1} output loads into a netdev bridge with {@code
 * ovs-ofctl -O OpenFlow13 add-flows br-int -} without error, the bridge then holds exactly the
 * printed flows, and every table the seed shows is reproduced on the switch (cookies reduced to
 * round | category, conj_ids renumbered by what they match: {@link ConjCanonicalizer}).
 */
class CompileCommandIT {
  private static final Path EXAMPLE = PacketWalk.dir();
  private static final Path MANIFESTS = EXAMPLE.resolve("manifests");
  private static final Path PORTS = EXAMPLE.resolve("ports-worker1.csv");
  private static final String BR = "br-int";

  private static Run compile(String... extra) {
    List<String> args =
        new ArrayList<>(List.of("compile", "-f", MANIFESTS.toString(), "--node", "worker1"));
    args.addAll(List.of(extra));
    return Cli.run(args);
  }

  /** A fresh worker1 bridge with {@code ports} (tunnel and gateway as the harness makes them). */
  private static OvsNode worker1(PortMap ports) {
    OvsNode node = OvsNode.start();
    try {
      node.createAntreaBridge(BR, 1);
      assertThat(ports.tunnel()).isEqualTo(OvsNode.TUNNEL_OFPORT);
      assertThat(ports.gateway()).isEqualTo(OvsNode.GATEWAY_OFPORT);
      ports
          .byName()
          .forEach(
              (name, ofport) -> {
                if (ofport > OvsNode.GATEWAY_OFPORT) {
                  int want = Math.toIntExact(ofport);
                  assertThat(node.addPodPort(BR, name, want)).isEqualTo(want);
                }
              });
      return node;
    } catch (RuntimeException | AssertionError e) {
      node.close();
      throw e;
    }
  }

  private static List<Flow> onSwitch(OvsNode node, PortNames names) {
    return FlowText.parseAll(String.join("\n", node.dumpFlows(BR)), names, false);
  }

  @Test
  void compiledWorker1LoadsWithAddFlowsAndTheSwitchReproducesTheSeedsTables() throws Exception {
    Run r = compile("--ports", PORTS.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.err()).matches("(?s)worker1: \\d+ flows, 0 groups\\s*");
    PortMap ports = PortMap.readCsv(PORTS);
    PortNames names = ports.names();
    List<Flow> printed = FlowText.parseAll(r.out(), names, true);

    try (OvsNode node = worker1(ports)) {
      node.addFlows(BR, r.out()); // ovs-ofctl -O OpenFlow13 add-flows br-int - ; throws on error
      List<Flow> installed = onSwitch(node, names);
      assertThat(installed).hasSize(printed.size());
      assertThat(new HashSet<>(installed)).isEqualTo(new HashSet<>(printed));

      List<Flow> seed =
          FlowText.parseAll(Files.readString(EXAMPLE.resolve("flows/worker1.flows")), names, true);
      TreeSet<Integer> tables = new TreeSet<>();
      seed.forEach(f -> tables.add(f.table()));
      assertThat(tables).contains(0, 10, 30, 31, 40, 50, 60, 70, 105, 110);
      List<Flow> seedCanon = ConjCanonicalizer.canonical(seed);
      List<Flow> switchCanon =
          ConjCanonicalizer.canonical(
              installed.stream().filter(f -> tables.contains(f.table())).toList());
      for (int table : tables) {
        assertThat(text(switchCanon, table, names))
            .as("worker1 table %d on the switch vs the seed", table)
            .containsExactlyInAnyOrderElementsOf(text(seedCanon, table, names));
      }
    }
  }

  @Test
  void withoutPortsFileTheDefaultNumberingLoadsInEverySpelling() throws Exception {
    ClusterState state =
        ClusterState.empty().applyManifests(new ManifestReader().read(MANIFESTS)).state();
    PortMap ports = PortMap.defaultNumbering(state.podsOnNode("worker1"));
    // Sorted by namespace/name: default/backend1, default/frontend, kube-system/antrea-octant-...,
    // kube-system/coredns-... (not the seed's numbers, which only --ports reproduces).
    assertThat(ports.port("backend1-bab86f")).hasValue(3);
    assertThat(ports.port("frontend-a3ba2f")).hasValue(4);
    PortNames names = ports.names();

    Run plain = compile();
    assertThat(plain.exit()).as(plain.err()).isZero();
    List<Flow> printed = FlowText.parseAll(plain.out(), names, true);
    try (OvsNode node = worker1(ports)) {
      node.addFlows(BR, plain.out());
      assertThat(new HashSet<>(onSwitch(node, names))).isEqualTo(new HashSet<>(printed));
      assertThat(onSwitch(node, names)).hasSize(printed.size());

      // The OpenFlow 1.3 spelling (set_field) and port numbers instead of names: same flows.
      for (String[] variant :
          new String[][] {
            {"--openflow13"}, {"--port-numbers"}, {"--openflow13", "--port-numbers"}
          }) {
        Run v = compile(variant);
        assertThat(v.exit()).as(v.err()).isZero();
        node.delFlows(BR);
        node.addFlows(BR, v.out());
        assertThat(new HashSet<>(onSwitch(node, names)))
            .as(String.join(" ", variant))
            .isEqualTo(new HashSet<>(printed));
      }
    }
  }

  private static List<String> text(List<Flow> flows, int table, PortNames names) {
    return flows.stream()
        .filter(f -> f.table() == table)
        .map(f -> FlowText.formatForAdd(f, names, FlowText.Style.OPENFLOW10))
        .toList();
  }
}
