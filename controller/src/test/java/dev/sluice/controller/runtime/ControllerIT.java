package dev.sluice.controller.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.compiler.cluster.ClusterState;
import dev.sluice.compiler.cluster.ManifestReader;
import dev.sluice.compiler.cluster.ObjectKey;
import dev.sluice.compiler.cluster.ObjectKind;
import dev.sluice.compiler.compile.CompiledCluster;
import dev.sluice.compiler.compile.CompilerConfig;
import dev.sluice.compiler.compile.PortMap;
import dev.sluice.compiler.compile.PortSource;
import dev.sluice.compiler.flow.Flow;
import dev.sluice.compiler.flow.FlowText;
import dev.sluice.compiler.flow.PortNames;
import dev.sluice.compiler.flow.TableChanges;
import dev.sluice.controller.events.Publisher;
import dev.sluice.controller.events.TopicNames;
import dev.sluice.controller.harness.Cli;
import dev.sluice.controller.harness.ControllerHarness;
import dev.sluice.testkit.kafka.EmbeddedKafka;
import dev.sluice.testkit.ovs.OvsNode;
import dev.sluice.testkit.packetwalk.PacketWalk;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The controller end to end with real parts: an in-JVM KRaft broker, two real ovs-vswitchd
 * instances (dummy datapath) whose {@code br-int} bridges stand for worker1 (dpid 1) and worker2
 * (dpid 2), and the controller in this JVM. Events go through Kafka only.
 */
class ControllerIT {
  private static final Path MANIFESTS = PacketWalk.manifests();
  private static final List<String> WORKERS = PacketWalk.WORKERS;
  private static final ManifestReader READER = new ManifestReader();
  private static final AtomicInteger SEQ = new AtomicInteger();

  private static EmbeddedKafka kafka;

  private ControllerHarness harness;
  private Map<String, OvsNode> ovs;
  private Map<String, PortMap> ports;
  private String prefix;
  private TopicNames topics;
  private Controller controller;
  private Publisher publisher;

  @BeforeAll
  static void broker() {
    kafka = EmbeddedKafka.startNew();
  }

  @AfterAll
  static void stopBroker() {
    kafka.close();
  }

  @BeforeEach
  void setUp() throws Exception {
    prefix = "c" + SEQ.incrementAndGet() + ".";
    harness = ControllerHarness.packetWalk(kafka, prefix);
    topics = harness.topics();
    ovs = harness.ovs();
    ports = harness.ports();
    publisher = harness.publisher();
    controller = startController();
  }

  @AfterEach
  void tearDown() {
    if (harness != null) {
      harness.close();
    }
  }

  private Controller startController() throws Exception {
    return harness.startController(b -> {});
  }

  // ---------------------------------------------------------------- helpers

  private static List<HasMetadata> packetWalk() {
    return READER.read(MANIFESTS).items();
  }

  /** What {@code sluice compile -f MANIFESTS --node NODE --ports CSV} prints, parsed. */
  private Set<Flow> sluiceCompile(String node) {
    return harness.sluiceCompile(node);
  }

  /** The flows of {@code objects} compiled for {@code node} with the CSV ports. */
  private Set<Flow> compiled(List<HasMetadata> objects, String node) {
    return compiled(objects, node, ports.get(node));
  }

  private Set<Flow> compiled(List<HasMetadata> objects, String node, PortMap portMap) {
    ClusterState state = ClusterState.empty();
    for (HasMetadata o : objects) {
      state = state.apply(o).state();
    }
    CompiledCluster c =
        CompiledCluster.compileAll(
            state, CompilerConfig.defaults(), PortSource.explicit(Map.of(node, portMap)));
    return new HashSet<>(c.flows(node).flows());
  }

  private PortNames names(String node) {
    return harness.names(node);
  }

  private Set<Flow> onSwitch(String node) {
    return harness.onSwitch(node);
  }

  /** Waits until both bridges hold exactly {@code expected} and the controller is idle. */
  private void awaitConverged(Map<String, Set<Flow>> expected) throws InterruptedException {
    harness.awaitConverged(expected);
  }

  private Map<String, Set<Flow>> expectedPacketWalk() {
    return harness.expectedPacketWalk();
  }

  private Map<String, Set<Flow>> expected(List<HasMetadata> objects) {
    Map<String, Set<Flow>> m = new java.util.TreeMap<>();
    for (String w : WORKERS) {
      m.put(w, compiled(objects, w));
    }
    return m;
  }

  private long flowMods(String node) {
    return controller.counters(node).flowMods();
  }

  private static int changes(Set<Flow> before, Set<Flow> after) {
    return TableChanges.between(before, List.of(), after, List.of()).size();
  }

  private JsonNode api(String path) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://" + controller.apiAddress() + path))
                    .build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
    return new ObjectMapper().readTree(r.body());
  }

  private static <T extends HasMetadata> T find(
      List<HasMetadata> objects, Class<T> type, Predicate<T> p) {
    return objects.stream()
        .filter(type::isInstance)
        .map(type::cast)
        .filter(p)
        .findFirst()
        .orElseThrow();
  }

  // ---------------------------------------------------------------- scenarios

  @Test
  void packetWalkThroughKafkaConvergesToSluiceCompileOnBothBridges() throws Exception {
    publisher.applyAll(packetWalk());
    Map<String, Set<Flow>> expected = expectedPacketWalk();
    assertThat(expected.get("worker1")).hasSizeGreaterThan(40);
    awaitConverged(expected);

    JsonNode nodes = api("/api/v1/nodes");
    assertThat(nodes.findValuesAsText("name")).contains("worker1", "worker2", "master");
    for (JsonNode n : nodes) {
      if (WORKERS.contains(n.get("name").asText())) {
        assertThat(n.get("connected").asBoolean()).isTrue();
        assertThat(n.get("flowsInstalled").asInt()).isEqualTo(n.get("flowsDesired").asInt());
        assertThat(n.get("pendingEvents").asInt()).isZero();
      }
    }
    JsonNode installed = api("/api/v1/nodes/worker1/flows?view=installed");
    assertThat(installed.get("count").asInt()).isEqualTo(expected.get("worker1").size());
    String metrics =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://" + controller.apiAddress() + "/metrics"))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    assertThat(metrics)
        .contains("sluice_switches_connected 2.0")
        .contains("sluice_flow_mods_sent_total{node=\"worker1\",op=\"add\"}")
        .contains("sluice_flows{node=\"worker1\",table=\"0\",view=\"installed\"}")
        .contains("sluice_events_applied_total");
    JsonNode realization = api("/api/v1/realization");
    assertThat(realization.get("policies").findValuesAsText("policy"))
        .contains("default/frontendpolicy", "default/backendpolicy");

    // The realization topic carries per-node records and, per NetworkPolicy generation, one
    // record for each node where it became realized.
    Set<String> policyOnNode = new HashSet<>();
    Set<String> nodeRecords = new HashSet<>();
    java.util.Properties props = new java.util.Properties();
    props.put("bootstrap.servers", kafka.bootstrapServers());
    props.put("group.id", "realization-reader-" + topics.pods());
    props.put("auto.offset.reset", "earliest");
    props.put(
        "key.deserializer",
        org.apache.kafka.common.serialization.StringDeserializer.class.getName());
    props.put(
        "value.deserializer",
        org.apache.kafka.common.serialization.StringDeserializer.class.getName());
    try (var consumer =
        new org.apache.kafka.clients.consumer.KafkaConsumer<String, String>(props)) {
      consumer.subscribe(List.of(topics.realization()));
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (System.nanoTime() < deadline
          && !(policyOnNode.containsAll(
                  Set.of(
                      "default/frontendpolicy@worker1",
                      "default/frontendpolicy@worker2",
                      "default/backendpolicy@worker1",
                      "default/backendpolicy@worker2"))
              && nodeRecords.containsAll(Set.of("worker1", "worker2")))) {
        for (var rec : consumer.poll(Duration.ofMillis(200))) {
          JsonNode v = new ObjectMapper().readTree(rec.value());
          if (rec.key().startsWith("networkpolicy/")) {
            policyOnNode.add(v.get("policy").asText() + "@" + v.get("node").asText());
          } else {
            nodeRecords.add(rec.key());
          }
        }
      }
    }
    assertThat(nodeRecords).contains("worker1", "worker2");
    assertThat(policyOnNode)
        .contains(
            "default/frontendpolicy@worker1",
            "default/frontendpolicy@worker2",
            "default/backendpolicy@worker1",
            "default/backendpolicy@worker2");
  }

  @Test
  void deletingAPodRemovesItsFlowsAndChangesNothingElse() throws Exception {
    List<HasMetadata> all = packetWalk();
    publisher.applyAll(all);
    Map<String, Set<Flow>> before = expectedPacketWalk();
    awaitConverged(before);
    long mods1 = flowMods("worker1");
    long mods2 = flowMods("worker2");

    publisher.delete(new ObjectKey(ObjectKind.POD, "default", "frontend"));
    List<HasMetadata> rest = new ArrayList<>(all);
    rest.removeIf(o -> o.getKind().equals("Pod") && o.getMetadata().getName().equals("frontend"));
    Map<String, Set<Flow>> after = expected(rest);
    awaitConverged(after);

    Set<Flow> gone = new HashSet<>(before.get("worker1"));
    gone.removeAll(after.get("worker1"));
    assertThat(gone).isNotEmpty();
    assertThat(gone.stream().map(f -> FlowText.format(f, names("worker1"))))
        .anyMatch(s -> s.contains("frontend-a3ba2f"));
    // Exactly the difference went out, nothing more.
    assertThat(flowMods("worker1") - mods1)
        .isEqualTo(changes(before.get("worker1"), after.get("worker1")));
    assertThat(flowMods("worker2") - mods2)
        .isEqualTo(changes(before.get("worker2"), after.get("worker2")));
  }

  @Test
  void changingAPolicySendsOnlyTheAffectedFlows() throws Exception {
    List<HasMetadata> all = packetWalk();
    publisher.applyAll(all);
    Map<String, Set<Flow>> before = expectedPacketWalk();
    awaitConverged(before);
    long mods1 = flowMods("worker1");
    long mods2 = flowMods("worker2");

    NetworkPolicy p =
        find(all, NetworkPolicy.class, n -> n.getMetadata().getName().equals("frontendpolicy"));
    NetworkPolicy changed =
        READER.parseJson(READER.toJson(p), "test").items().stream()
            .map(NetworkPolicy.class::cast)
            .findFirst()
            .orElseThrow();
    changed
        .getSpec()
        .getIngress()
        .get(0)
        .getPorts()
        .get(0)
        .setPort(new io.fabric8.kubernetes.api.model.IntOrString(8080));
    publisher.apply(changed);
    List<HasMetadata> now = new ArrayList<>(all);
    now.replaceAll(o -> o == p ? changed : o);
    Map<String, Set<Flow>> after = expected(now);
    awaitConverged(after);

    int expected1 = changes(before.get("worker1"), after.get("worker1"));
    assertThat(expected1).isBetween(1, 4);
    assertThat(flowMods("worker1") - mods1).isEqualTo(expected1);
    assertThat(flowMods("worker2") - mods2)
        .isEqualTo(changes(before.get("worker2"), after.get("worker2")));
  }

  @Test
  void controllerRestartAgainstUpToDateSwitchesSendsZeroFlowMods() throws Exception {
    publisher.applyAll(packetWalk());
    Map<String, Set<Flow>> expected = expectedPacketWalk();
    awaitConverged(expected);

    controller.close();
    controller = startController();
    awaitConverged(expected);
    assertThat(flowMods("worker1")).isZero();
    assertThat(flowMods("worker2")).isZero();
    assertThat(controller.counters("worker1").bundles()).isZero();
  }

  @Test
  void ovsRestartReplaysEveryFlow() throws Exception {
    publisher.applyAll(packetWalk());
    Map<String, Set<Flow>> expected = expectedPacketWalk();
    awaitConverged(expected);
    long adds = flowMods("worker1");

    ovs.get("worker1").restartVswitchd();
    // The flows are gone with the daemon; the reconnect replays them (after the TLV map).
    awaitConverged(expected);
    assertThat(flowMods("worker1") - adds).isEqualTo(expected.get("worker1").size());
  }

  @Test
  void garbageAndInvalidObjectsAreDeadLetteredAndTheRestConverges() throws Exception {
    publisher.publishRaw(
        new ObjectKey(ObjectKind.POD, "default", "junk"),
        "{not json".getBytes(StandardCharsets.UTF_8));
    publisher.publishRaw(
        new ObjectKey(ObjectKind.POD, "default", "mismatch"),
        "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"other\",\"namespace\":\"default\"}}"
            .getBytes(StandardCharsets.UTF_8));
    publisher.publishRaw(
        new ObjectKey(ObjectKind.NETWORK_POLICY, "default", "badcidr"),
        ("{\"apiVersion\":\"networking.k8s.io/v1\",\"kind\":\"NetworkPolicy\",\"metadata\":"
                + "{\"name\":\"badcidr\",\"namespace\":\"default\"},\"spec\":{\"podSelector\":{},"
                + "\"ingress\":[{\"from\":[{\"ipBlock\":{\"cidr\":\"10.0.0.300/8\"}}]}]}}")
            .getBytes(StandardCharsets.UTF_8));
    publisher.applyAll(packetWalk());
    awaitConverged(expectedPacketWalk());
    assertThat(controller.eventStats().deadLettered()).isGreaterThanOrEqualTo(3);
  }

  @Test
  void brokerOutageIsSurvivedAndNothingIsLost() throws Exception {
    List<HasMetadata> all = packetWalk();
    publisher.applyAll(all);
    awaitConverged(expectedPacketWalk());

    kafka.stop();
    Thread.sleep(2000);
    kafka.start();
    publisher.delete(new ObjectKey(ObjectKind.POD, "default", "backend2"));
    List<HasMetadata> rest = new ArrayList<>(all);
    rest.removeIf(o -> o.getKind().equals("Pod") && o.getMetadata().getName().equals("backend2"));
    awaitConverged(expected(rest));
  }

  @Test
  void applyWaitReturnsOnceRealizedAndStatusShowsNodesAndPolicies() throws Exception {
    Cli.Run apply =
        Cli.run(
            "apply",
            "-f",
            MANIFESTS.toString(),
            "--bootstrap",
            kafka.bootstrapServers(),
            "--topic-prefix",
            prefix,
            "--wait",
            "--api",
            controller.apiAddress(),
            "--wait-timeout",
            "20s");
    assertThat(apply.exit()).as(apply.out() + "\n" + apply.err()).isZero();
    assertThat(apply.out())
        .containsPattern("realized on \\[worker1, worker2\\] in \\d+ ms")
        .contains("(no switch for [master])");
    // Realized means acknowledged: the bridges hold the flows now, without waiting.
    for (String w : WORKERS) {
      assertThat(onSwitch(w)).as(w).isEqualTo(sluiceCompile(w));
    }

    Cli.Run status = Cli.run("status", "--api", controller.apiAddress());
    assertThat(status.exit()).isZero();
    assertThat(status.out())
        .containsPattern("worker1\\s+yes\\s+0000000000000001")
        .containsPattern("master\\s+no\\s+-")
        .containsPattern("default/frontendpolicy\\s+\\d+\\s+on 2 of 3 nodes");
  }

  @Test
  void aPodWhosePortAppearsLaterGetsItsFlowsThen() throws Exception {
    ovs.get("worker1").vsctl("del-port", "br-int", "frontend-a3ba2f");
    List<HasMetadata> all = packetWalk();
    publisher.applyAll(all);
    Map<String, Long> without = new java.util.TreeMap<>(ports.get("worker1").byName());
    without.remove("frontend-a3ba2f");
    Map<String, Set<Flow>> expected = expectedPacketWalk();
    Map<String, Set<Flow>> before = new java.util.TreeMap<>(expected);
    before.put("worker1", compiled(all, "worker1", new PortMap(without)));
    awaitConverged(before);
    assertThat(before.get("worker1")).hasSizeLessThan(expected.get("worker1").size());

    ovs.get("worker1").addPodPort("br-int", "frontend-a3ba2f", 6);
    awaitConverged(expected);
  }
}
