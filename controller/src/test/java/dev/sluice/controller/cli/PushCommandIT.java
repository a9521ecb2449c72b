package dev.sluice.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.compiler.flow.Flow;
import dev.sluice.compiler.flow.FlowText;
import dev.sluice.compiler.flow.PortNames;
import dev.sluice.controller.harness.Cli;
import dev.sluice.controller.harness.Cli.Run;
import dev.sluice.testkit.ovs.OvsNode;
import dev.sluice.testkit.packetwalk.PacketWalk;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sluice push} as a user runs it, against a fresh netdev bridge of a real ovs-vswitchd. */
class PushCommandIT {
  private static final Path WORKER1 = PacketWalk.flows("worker1");
  private static final Map<String, Long> PORTS =
      Map.of(
          "antrea-tun0", 1L,
          "antrea-gw0", 2L,
          "coredns--3e3abf", 3L,
          "antrea-o-830766", 4L,
          "backend1-bab86f", 5L,
          "frontend-a3ba2f", 6L);

  OvsNode node;
  int port;

  @BeforeEach
  void bridge() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    node = OvsNode.start();
    worker1Bridge(node, 0x1L, port);
    node.ofctl("del-tlv-map", "br-int");
  }

  /**
   * br-int with the seed's worker1 ports, pointed at {@code port} with a short reconnect backoff
   * (each push is a new controller process).
   */
  static void worker1Bridge(OvsNode n, long dpid, int port) {
    n.createAntreaBridge("br-int", dpid);
    n.addPorts("br-int", PORTS);
    n.setController("br-int", "tcp:127.0.0.1:" + port, 1000);
  }

  @AfterEach
  void close() {
    node.close();
  }

  Run push(Path flows, String... more) {
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "push",
                "--listen",
                "127.0.0.1:" + port,
                "--flows",
                flows.toString(),
                "--timeout",
                "30"));
    args.addAll(List.of(more));
    return Cli.run(args);
  }

  @Test
  void pushInstallsExactlyTheFileThenASecondPushChangesNothing() throws Exception {
    Run first = push(WORKER1);
    assertThat(first.exit()).as(first.out() + first.err()).isZero();
    assertThat(first.out()).containsPattern("br-int 0000000000000001\\s+53\\s+0\\s+0\\s+0");

    List<Flow> file = FlowText.parseAll(Files.readString(WORKER1), PortNames.of(PORTS), true);
    List<Flow> onSwitch =
        FlowText.parseAll(String.join("\n", node.dumpFlows("br-int")), PortNames.of(PORTS), false);
    assertThat(new HashSet<>(onSwitch)).isEqualTo(new HashSet<>(file));

    Run second = push(WORKER1);
    assertThat(second.exit()).as(second.out() + second.err()).isZero();
    assertThat(second.out()).containsPattern("br-int 0000000000000001\\s+0\\s+0\\s+0\\s+53");
  }

  @Test
  void pushDeletesWhatIsNotInTheFileAndKeepsTheRest(@TempDir Path dir) throws Exception {
    assertThat(push(WORKER1).exit()).isZero();
    List<String> lines =
        Files.readAllLines(WORKER1).stream()
            .filter(l -> !l.startsWith("#") && !l.isBlank())
            .toList();
    Path smaller = dir.resolve("smaller.flows");
    Files.write(smaller, lines.subList(0, 40));
    Run r = push(smaller);
    assertThat(r.exit()).as(r.out() + r.err()).isZero();
    assertThat(r.out()).containsPattern("br-int 0000000000000001\\s+0\\s+13\\s+0\\s+40");
    assertThat(node.dumpFlows("br-int")).hasSize(40);
  }

  @Test
  void rejectedFlowPrintsOvsErrorAndLeavesTheSwitchAsItWas(@TempDir Path dir) throws Exception {
    assertThat(push(WORKER1).exit()).isZero();
    List<String> before = node.dumpFlows("br-int");
    Path bad = dir.resolve("bad.flows");
    Files.writeString(bad, Files.readString(WORKER1) + "table=0,priority=5,ip actions=group:77\n");
    Run r = push(bad);
    assertThat(r.exit()).isNotZero();
    assertThat(r.out())
        .contains("BAD_ACTION/OFPBAC_BAD_OUT_GROUP")
        .contains("table=0, priority=5,ip actions=group:77")
        .contains("tables are unchanged");
    assertThat(node.dumpFlows("br-int")).containsExactlyInAnyOrderElementsOf(before);
  }

  @Test
  void unknownPortNameIsReportedBeforeTouchingTheSwitch(@TempDir Path dir) throws Exception {
    Path bad = dir.resolve("bad.flows");
    Files.writeString(bad, "table=0,priority=5,in_port=\"nope\" actions=drop\n");
    Run r = push(bad);
    assertThat(r.exit()).isNotZero();
    assertThat(r.out()).contains("unknown port \"nope\"");
    assertThat(node.dumpFlows("br-int")).isEmpty();
  }

  @Test
  void groupsAreSyncedAndCounted(@TempDir Path dir) throws Exception {
    Path groups = dir.resolve("groups");
    Files.writeString(
        groups,
        "group_id=1,type=select,bucket=actions=output:\"backend1-bab86f\",bucket=actions=output:6\n");
    Path flows = dir.resolve("flows");
    Files.writeString(flows, "table=0,priority=5,ip actions=group:1\n");
    Run first = push(flows, "--groups", groups.toString());
    assertThat(first.exit()).as(first.out() + first.err()).isZero();
    assertThat(first.out()).containsPattern("\\s1\\s+0\\s+0\\s+0\\s+\\+1 -0 ~0");
    assertThat(node.ofctl("dump-groups", "br-int")).contains("group_id=1,type=select");

    Files.writeString(groups, "group_id=1,type=select,bucket=actions=output:5\n");
    Run second = push(flows, "--groups", groups.toString());
    assertThat(second.exit()).as(second.out() + second.err()).isZero();
    assertThat(second.out()).containsPattern("\\s0\\s+0\\s+0\\s+1\\s+\\+0 -0 ~1");
    assertThat(node.ofctl("dump-groups", "br-int")).doesNotContain("output:6");

    Run third = push(flows, "--groups", groups.toString());
    assertThat(third.out()).containsPattern("\\s0\\s+0\\s+0\\s+1\\s+none");
  }

  @Test
  void twoSwitchesEachGetTheFileInTheirOwnBundle() throws Exception {
    try (OvsNode second = OvsNode.start()) {
      worker1Bridge(second, 0x2L, port);
      Run r = push(WORKER1, "--switches", "2");
      assertThat(r.exit()).as(r.out() + r.err()).isZero();
      assertThat(r.out())
          .containsPattern("br-int 0000000000000001\\s+53")
          .containsPattern("br-int 0000000000000002\\s+53");
      assertThat(second.dumpFlows("br-int")).hasSize(53);
      assertThat(node.dumpFlows("br-int")).hasSize(53);
    }
  }

  @Test
  void pushOverTlsWithMutualCertificates(@TempDir Path dir) throws Exception {
    // A CA, a controller certificate and a switch certificate, as ovs-pki would make them.
    openssl(
        dir,
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "2",
        "-subj",
        "/CN=sluice-test-ca",
        "-keyout",
        "ca-key.pem",
        "-out",
        "ca-cert.pem");
    for (String who : List.of("controller", "switch")) {
      openssl(
          dir,
          "req",
          "-newkey",
          "rsa:2048",
          "-nodes",
          "-subj",
          "/CN=" + who,
          "-keyout",
          who + "-key.pem",
          "-out",
          who + ".csr");
      openssl(
          dir,
          "x509",
          "-req",
          "-in",
          who + ".csr",
          "-CA",
          "ca-cert.pem",
          "-CAkey",
          "ca-key.pem",
          "-CAcreateserial",
          "-days",
          "2",
          "-out",
          who + "-cert.pem");
    }
    node.vsctl(
        "set-ssl",
        dir.resolve("switch-key.pem").toString(),
        dir.resolve("switch-cert.pem").toString(),
        dir.resolve("ca-cert.pem").toString());
    node.vsctl("set", "Controller", "br-int", "target=\"ssl:127.0.0.1:" + port + "\"");
    Run r =
        push(
            WORKER1,
            "--tls-cert",
            dir.resolve("controller-cert.pem").toString(),
            "--tls-key",
            dir.resolve("controller-key.pem").toString(),
            "--tls-ca",
            dir.resolve("ca-cert.pem").toString());
    assertThat(r.exit()).as(r.out() + r.err()).isZero();
    assertThat(r.out()).containsPattern("br-int 0000000000000001\\s+53");
    assertThat(node.dumpFlows("br-int")).hasSize(53);
  }

  private static void openssl(Path dir, String... args) throws Exception {
    List<String> cmd = new java.util.ArrayList<>(List.of("openssl"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    String out =
        new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as("openssl " + String.join(" ", args) + "\n" + out).isZero();
  }
}
