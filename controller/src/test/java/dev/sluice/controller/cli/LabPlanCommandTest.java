package dev.sluice.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.compiler.cluster.Derivations;
import dev.sluice.controller.harness.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sluice lab-plan}: the lab's plan comes from the compiler's derivations, not a copy. */
class LabPlanCommandTest {
  private static final String NODE =
      """
      apiVersion: v1
      kind: Node
      metadata: {name: n1}
      spec: {podCIDR: 10.1.0.0/24}
      status: {addresses: [{type: InternalIP, address: 192.168.0.1}]}
      """;

  private static final String PODS =
      """
      apiVersion: v1
      kind: Pod
      metadata: {name: web, namespace: x, labels: {app: web}}
      spec:
        nodeName: n1
        containers: [{name: c, ports: [{containerPort: 8080, name: http}]}]
      status: {phase: Running, podIP: 10.1.0.5}
      ---
      apiVersion: v1
      kind: Service
      metadata: {name: web, namespace: x}
      spec:
        clusterIP: 10.96.0.10
        selector: {app: web}
        ports: [{port: 80, targetPort: http}]
      """;

  @TempDir Path dir;

  private JsonNode run(String... args) throws Exception {
    Cli.Run r = Cli.run(args);
    assertThat(r.exit()).as(r.err()).isZero();
    return r.json();
  }

  @Test
  void derivesWhatTheCompilerDerives() throws Exception {
    Path f = dir.resolve("m.yaml");
    Files.writeString(f, NODE + "---\n" + PODS);
    JsonNode plan = run("lab-plan", "-f", f.toString(), "--json");

    JsonNode n = plan.get("nodes").get(0);
    assertThat(n.get("gatewayIP").asText()).isEqualTo("10.1.0.1");
    assertThat(n.get("gatewayMAC").asText()).isEqualTo("0a:58:0a:01:00:01");
    assertThat(n.get("datapathId").asText()).isEqualTo("00000000c0a80001");
    assertThat(n.get("datapathIdAnnotated").asBoolean()).isFalse();

    JsonNode p = plan.get("pods").get(0);
    // a short name still gets the hash (issue 11 item 10): the compiler's rule, not a copy
    assertThat(p.get("interfaceName").asText())
        .isEqualTo(Derivations.interfaceName("x", "web"))
        .startsWith("web-")
        .hasSize(10);
    assertThat(p.get("mac").asText()).isEqualTo("0a:58:0a:01:00:05");
    assertThat(p.get("ports").get(0).get("port").asInt()).isEqualTo(8080);

    JsonNode s = plan.get("services").get(0);
    assertThat(s.get("clusterIP").asText()).isEqualTo("10.96.0.10");
    assertThat(s.get("endpoints").get(0).get("ip").asText()).isEqualTo("10.1.0.5");
    assertThat(s.get("endpoints").get(0).get("port").asInt()).isEqualTo(8080);
  }

  @Test
  void storeAppliesAndDeletes() throws Exception {
    Path node = dir.resolve("node.yaml");
    Path pods = dir.resolve("pods.yaml");
    Files.writeString(node, NODE);
    Files.writeString(pods, PODS);
    Path store = dir.resolve("objects");

    JsonNode plan =
        run(
            "lab-plan",
            "--store",
            store.toString(),
            "--apply",
            "-f",
            node.toString(),
            "-f",
            pods.toString(),
            "--json");
    assertThat(plan.get("pods")).hasSize(1);
    // a Service sorts before its Endpoints in the store
    try (var files = Files.list(store)) {
      assertThat(files.map(x -> x.getFileName().toString()).sorted())
          .containsExactly("1-Node_-_n1.json", "2-Pod_x_web.json", "3-Service_x_web.json");
    }

    plan =
        run("lab-plan", "--store", store.toString(), "--delete", "-f", pods.toString(), "--json");
    assertThat(plan.get("pods")).isEmpty();
    assertThat(plan.get("nodes")).hasSize(1);
  }
}
