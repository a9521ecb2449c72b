package dev.sluice.compiler.verdict;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.compiler.cluster.ClusterState;
import dev.sluice.compiler.cluster.ManifestReader;
import dev.sluice.compiler.cluster.NodeInfo;
import dev.sluice.compiler.cluster.PodInfo;
import dev.sluice.compiler.compile.CompiledCluster;
import dev.sluice.compiler.compile.CompilerConfig;
import dev.sluice.compiler.compile.PortSource;
import dev.sluice.compiler.verdict.ClusterBridges.Walk;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * NetworkPolicy verdicts on real Open vSwitch: for each scenario under {@code
 * src/test/resources/verdicts/scenarios/}, the cluster of {@code verdicts/cluster/} plus the
 * scenario's policies is compiled, loaded into two netdev bridges ({@code node-1}, {@code node-2})
 * and every pod pair is probed on every port/protocol of the scenario's truth table with {@code
 * ofproto/trace --ct-next trk,new}, following the packet across the Geneve tunnel to the other
 * node's bridge. The verdict (delivered to the destination pod's port, or dropped) must be the one
 * the hand-written truth table gives, and Sluice's simulator must walk the same way (same outputs
 * on every hop, same packet through the tunnel).
 *
 * <p>How a pod addresses its peer: pods get their node's pod CIDR (/24) on-link with the gateway as
 * default route, as in Antrea v0.9. A peer on the same node is in the same subnet, so the pod
 * resolves its MAC by ARP (table 20 answers nothing for pod IPs and hands ARP to {@code NORMAL})
 * and sends to the peer's MAC; the packet is L2-switched (table 70 miss → table 80 finds the peer's
 * port by {@code dl_dst}). A peer on another node is off-subnet: the pod sends to its gateway's
 * MAC, and table 70 routes the remote pod CIDR into the tunnel, rewriting the MACs ({@code
 * dl_dst=aa:bb:cc:dd:ee:ff}) and decrementing the TTL. Loopback (a pod to its own IP) never reaches
 * the bridge, so the truth tables' diagonal is not compared with OVS (OVS and the simulator must
 * still agree on it).
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class PolicyVerdictIT {
  static final Path VERDICTS = Path.of("src", "test", "resources", "verdicts");
  private static final int CLIENT_PORT = 40_000;

  private static ClusterState base;
  private static List<PodInfo> pods;
  private static List<String> podKeys;
  private static ClusterBridges bridges;
  private static final Map<String, String> SUMMARY = new LinkedHashMap<>();
  private static long started;

  @BeforeAll
  static void startNodes() {
    started = System.nanoTime();
    ManifestReader.Manifests m = new ManifestReader().read(VERDICTS.resolve("cluster"));
    assertThat(m.errors()).isEmpty();
    ClusterState.ApplyResult r = ClusterState.empty().applyManifests(m);
    assertThat(r.errors()).isEmpty();
    base = r.state();
    pods =
        base.pods().stream()
            .sorted(Comparator.comparing(PodInfo::namespace).thenComparing(PodInfo::name))
            .toList();
    podKeys = pods.stream().map(PodInfo::key).toList();
    assertThat(podKeys)
        .containsExactly("x/a", "x/b", "x/c", "y/a", "y/b", "y/c", "z/a", "z/b", "z/c");
    bridges = ClusterBridges.start(compile(base), List.of("node-1", "node-2"));
  }

  @AfterAll
  static void stopNodes() {
    if (bridges != null) {
      long ms = (System.nanoTime() - started) / 1_000_000;
      System.out.printf(
          "PolicyVerdictIT: %d scenarios, %d ofproto/trace and %d simulator traces in %d ms%n",
          SUMMARY.size(), bridges.ovsTraces(), bridges.simulatorTraces(), ms);
      SUMMARY.forEach((s, line) -> System.out.println("  " + s + ": " + line));
      bridges.close();
    }
  }

  private static CompiledCluster compile(ClusterState state) {
    return CompiledCluster.compileAll(
        state, CompilerConfig.defaults(), PortSource.defaultNumbering());
  }

  static Stream<String> scenarios() throws IOException {
    try (Stream<Path> dirs = Files.list(VERDICTS.resolve("scenarios"))) {
      return dirs
          .filter(Files::isDirectory)
          .map(p -> p.getFileName().toString())
          .sorted()
          .toList()
          .stream();
    }
  }

  /** One probed pair: what Kubernetes requires and what OVS and the simulator did. */
  private record Result(
      Probe probe, PodInfo from, PodInfo to, boolean expected, Walk ovs, Walk simulator) {}

  @ParameterizedTest(name = "{0}")
  @MethodSource("scenarios")
  void everyPodPairGetsTheVerdictKubernetesRequiresOnOvsAndInTheSimulator(String scenario)
      throws IOException {
    Path dir = VERDICTS.resolve("scenarios").resolve(scenario);
    ManifestReader.Manifests policies = new ManifestReader().read(dir);
    assertThat(policies.errors()).as("policies of " + scenario).isEmpty();
    ClusterState.ApplyResult r = base.applyManifests(policies);
    assertThat(r.errors()).as("policies of " + scenario).isEmpty();
    TruthTable expected = TruthTable.read(dir.resolve("expected.txt"), podKeys);
    bridges.load(compile(r.state()));

    List<Result> results = new ArrayList<>();
    for (Probe probe : expected.probes()) {
      for (PodInfo from : pods) {
        for (PodInfo to : pods) {
          String microflow = microflow(probe, from, to);
          results.add(
              new Result(
                  probe,
                  from,
                  to,
                  expected.allowed(probe, from.key(), to.key()),
                  bridges.walkOvs(from.nodeName(), microflow),
                  bridges.walkSimulator(from.nodeName(), microflow)));
        }
      }
    }

    List<Failure> failures = new ArrayList<>();
    Map<Probe, Map<String, Boolean>> ovsGrid = new LinkedHashMap<>();
    Map<Probe, Map<String, Boolean>> simGrid = new LinkedHashMap<>();
    int checked = 0;
    for (Result res : results) {
      String pair = res.probe() + " " + res.from().key() + " -> " + res.to().key();
      Outcome ovs = outcome(res.ovs(), res.to());
      Outcome sim = outcome(res.simulator(), res.to());
      ovsGrid
          .computeIfAbsent(res.probe(), p -> new HashMap<>())
          .put(cell(res), ovs == Outcome.ALLOWED);
      simGrid
          .computeIfAbsent(res.probe(), p -> new HashMap<>())
          .put(cell(res), sim == Outcome.ALLOWED);
      boolean loopback = res.from().equals(res.to());
      if (ovs == Outcome.ELSEWHERE) {
        failures.add(
            new Failure(
                pair + ": OVS sent it elsewhere: " + res.ovs().summary(), res.ovs().detail()));
      } else if (!loopback && (ovs == Outcome.ALLOWED) != res.expected()) {
        failures.add(
            new Failure(
                pair
                    + ": Kubernetes requires "
                    + (res.expected() ? "allowed" : "blocked")
                    + ", OVS: "
                    + res.ovs().summary(),
                res.ovs().detail()));
      }
      if (!sameWalk(res.ovs(), res.simulator())) {
        failures.add(
            new Failure(
                pair
                    + ": simulator "
                    + res.simulator().summary()
                    + " but OVS "
                    + res.ovs().summary(),
                "simulator:\n" + res.simulator().detail() + "OVS:\n" + res.ovs().detail()));
      }
      if (!loopback) {
        checked++;
      }
    }
    SUMMARY.put(
        scenario,
        expected.probes()
            + ": "
            + checked
            + " pairs against the truth table, "
            + results.size()
            + " OVS vs simulator");
    if (!failures.isEmpty()) {
      StringBuilder msg = new StringBuilder(scenario + ": " + failures.size() + " failures\n");
      for (Probe p : expected.probes()) {
        msg.append("probe ").append(p).append(" expected:\n");
        msg.append(TruthTable.format(podKeys, (f, t) -> expected.allowed(p, f, t), true));
        msg.append("OVS:\n");
        msg.append(TruthTable.format(podKeys, (f, t) -> ovsGrid.get(p).get(f + ">" + t), false));
        msg.append("simulator:\n");
        msg.append(TruthTable.format(podKeys, (f, t) -> simGrid.get(p).get(f + ">" + t), false));
      }
      failures.forEach(f -> msg.append(f.line()).append('\n'));
      failures.stream()
          .limit(3)
          .forEach(f -> msg.append("\n").append(f.line()).append('\n').append(f.detail()));
      throw new AssertionError(msg.toString());
    }
  }

  /** One wrong verdict: a line for the list, the traces for the first few. */
  private record Failure(String line, String detail) {}

  private static String cell(Result r) {
    return r.from().key() + ">" + r.to().key();
  }

  /**
   * The packet a pod sends to open a connection to {@code to}: from its own port, MAC and IP, to
   * the peer's MAC when the peer is on the same node (same subnet), else to its gateway's MAC.
   */
  private static String microflow(Probe probe, PodInfo from, PodInfo to) {
    NodeInfo node = bridges.node(from.nodeName());
    String dstMac =
        from.nodeName().equals(to.nodeName()) ? to.mac().toString() : node.gatewayMac().toString();
    String proto = probe.ovsProtocol();
    return proto
        + ",in_port="
        + from.interfaceName()
        + ",dl_src="
        + from.mac()
        + ",dl_dst="
        + dstMac
        + ",nw_src="
        + from.ip()
        + ",nw_dst="
        + to.ip()
        + ",nw_ttl=64,"
        + proto
        + "_src="
        + CLIENT_PORT
        + ","
        + proto
        + "_dst="
        + probe.port();
  }

  /** Where a walk ended, relative to the pod it was meant for. */
  enum Outcome {
    /** Output to exactly the destination pod's port on its node. */
    ALLOWED,
    /** Dropped. */
    BLOCKED,
    /** Output somewhere else: always a bug. */
    ELSEWHERE
  }

  static Outcome outcome(Walk walk, PodInfo to) {
    ClusterBridges.Hop last = walk.last();
    if (last.outputs().isEmpty()) {
      return Outcome.BLOCKED;
    }
    long port = bridges.ports(to.nodeName()).port(to.interfaceName()).orElse(-1);
    return last.node().equals(to.nodeName()) && last.outputs().equals(List.of(port))
        ? Outcome.ALLOWED
        : Outcome.ELSEWHERE;
  }

  /** Same nodes, same microflows (so the same packet through the tunnel), same outputs. */
  static boolean sameWalk(Walk ovs, Walk simulator) {
    if (ovs.hops().size() != simulator.hops().size()) {
      return false;
    }
    for (int i = 0; i < ovs.hops().size(); i++) {
      ClusterBridges.Hop o = ovs.hops().get(i);
      ClusterBridges.Hop s = simulator.hops().get(i);
      if (!o.node().equals(s.node())
          || !o.microflow().equals(s.microflow())
          || !o.outputs().equals(s.outputs())
          || !java.util.Objects.equals(o.tunnelled(), s.tunnelled())) {
        return false;
      }
    }
    return true;
  }
}
