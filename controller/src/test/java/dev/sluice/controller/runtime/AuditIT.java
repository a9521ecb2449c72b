package dev.sluice.controller.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.compiler.cluster.ManifestReader;
import dev.sluice.compiler.cluster.ObjectKey;
import dev.sluice.compiler.cluster.ObjectKind;
import dev.sluice.compiler.flow.Action;
import dev.sluice.compiler.flow.Flow;
import dev.sluice.compiler.flow.FlowText;
import dev.sluice.compiler.flow.PortNames;
import dev.sluice.controller.events.Publisher;
import dev.sluice.controller.events.TopicNames;
import dev.sluice.controller.harness.Cli;
import dev.sluice.controller.harness.Cli.Run;
import dev.sluice.controller.harness.ControllerHarness;
import dev.sluice.testkit.kafka.EmbeddedKafka;
import dev.sluice.testkit.ovs.OvsNode;
import dev.sluice.testkit.ovs.TraceResult;
import dev.sluice.testkit.packetwalk.PacketWalk;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Auditing end to end with real parts (the {@link ControllerIT} fixture: an in-JVM KRaft broker,
 * two real ovs-vswitchd bridges for worker1 and worker2, the packet-walk example applied through
 * Kafka): tampering behind Sluice's back with {@code ovs-ofctl} is found by {@code sluice audit}
 * with provenance and repaired in one bundle, the audit log and topic hold every change, and {@code
 * sluice trace} agrees with {@code ofproto/trace}.
 */
class AuditIT {
  private static final Path MANIFESTS = PacketWalk.manifests();
  private static final List<String> WORKERS = PacketWalk.WORKERS;
  private static final Duration WAIT = ControllerHarness.WAIT;
  private static final AtomicInteger SEQ = new AtomicInteger();
  private static final ObjectMapper JSON = new ObjectMapper();

  private static EmbeddedKafka kafka;

  @TempDir Path tmp;
  private ControllerHarness harness;
  private Map<String, OvsNode> ovs;
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
    harness = ControllerHarness.packetWalk(kafka, "a" + SEQ.incrementAndGet() + ".");
    topics = harness.topics();
    ovs = harness.ovs();
    publisher = harness.publisher();
  }

  @AfterEach
  void tearDown() {
    if (harness != null) {
      harness.close();
    }
  }

  private Controller startController(ControllerConfig.AuditMode mode, Duration interval)
      throws Exception {
    return harness.startController(
        b -> {
          b.auditMode = mode;
          b.auditInterval = interval;
          b.auditLog = tmp.resolve("sluice-audit.log");
        });
  }

  /** The packet-walk example through Kafka, converged on both bridges. */
  private Map<String, Set<Flow>> packetWalkConverged(
      ControllerConfig.AuditMode mode, Duration interval) throws Exception {
    controller = startController(mode, interval);
    publisher.applyAll(new ManifestReader().read(MANIFESTS).items());
    Map<String, Set<Flow>> expected = new TreeMap<>();
    for (String w : WORKERS) {
      expected.put(w, sluiceCompile(w));
    }
    awaitConverged(expected);
    return expected;
  }

  // ---------------------------------------------------------------- helpers

  private Run api(String... args) {
    List<String> a = new ArrayList<>(List.of(args));
    a.add("--api");
    a.add(controller.apiAddress());
    Run r = Cli.run(a);
    if (!a.contains("--json")) {
      // What people see, in the test report (target/failsafe-reports).
      System.out.println("$ sluice " + String.join(" ", args) + "   # exit " + r.exit());
      System.out.print(r.out());
    }
    return r;
  }

  private Set<Flow> sluiceCompile(String node) {
    return harness.sluiceCompile(node);
  }

  private PortNames names(String node) {
    return harness.names(node);
  }

  private Set<Flow> onSwitch(String node) {
    return harness.onSwitch(node);
  }

  private void awaitConverged(Map<String, Set<Flow>> expected) throws InterruptedException {
    harness.awaitConverged(expected);
  }

  /** {@code table=T,priority=P,MATCH}: what del-flows/mod-flows --strict need. */
  private String strict(Flow f, String node) {
    String m = FlowText.formatMatch(f.match(), names(node));
    return "table=" + f.table() + ",priority=" + f.priority() + (m.isEmpty() ? "" : "," + m);
  }

  private List<JsonNode> auditLog() throws Exception {
    List<JsonNode> out = new ArrayList<>();
    for (String l : Files.readAllLines(controller.auditLogFile().orElseThrow())) {
      out.add(JSON.readTree(l));
    }
    return out;
  }

  /** The audit log once {@code ready} holds for it, or as it is when {@code limit} has passed. */
  private List<JsonNode> awaitAuditLog(
      java.util.function.Predicate<List<JsonNode>> ready, Duration limit) throws Exception {
    long end = System.nanoTime() + limit.toNanos();
    List<JsonNode> records = auditLog();
    while (!ready.test(records) && System.nanoTime() < end) {
      Thread.sleep(50);
      records = auditLog();
    }
    return records;
  }

  private static Flow pick(Set<Flow> flows, java.util.function.Predicate<Flow> p) {
    return flows.stream()
        .filter(p)
        .sorted(java.util.Comparator.comparing(Flow::key))
        .findFirst()
        .orElseThrow();
  }

  private static boolean isClause(Flow f) {
    return f.actions().stream().anyMatch(a -> a instanceof Action.Conjunction);
  }

  // ---------------------------------------------------------------- scenarios

  @Test
  void tamperingIsReportedExactlyWithProvenanceAndRepairedInOneBundle() throws Exception {
    Map<String, Set<Flow>> expected =
        packetWalkConverged(ControllerConfig.AuditMode.REPORT, Duration.ZERO);
    Run clean = api("audit");
    assertThat(clean.exit()).as(clean.out() + clean.err()).isZero();
    assertThat(clean.out())
        .containsPattern("switch br-int dpid=0000000000000001 node worker1: clean")
        .containsPattern("switch br-int dpid=0000000000000002 node worker2: clean");

    String w = "worker1";
    OvsNode n = ovs.get(w);
    Set<Flow> want = expected.get(w);
    // 1. a foreign flow (cookie 0)
    n.addFlows("br-int", "table=50,priority=300,ip,nw_src=10.9.9.9 actions=drop");
    // 2. one of ours deleted: backend1's L3 forwarding flow
    Flow deleted =
        pick(
            want,
            f -> f.table() == 70 && FlowText.format(f, names(w)).contains("nw_dst=10.222.1.47"));
    n.ofctl("del-flows", "br-int", "--strict", strict(deleted, w));
    // 3. one of ours with other actions
    Flow changed =
        pick(want, f -> f.table() == 80 && f.priority() == 200 && !f.actions().isEmpty());
    n.ofctl("mod-flows", "br-int", "--strict", strict(changed, w) + " actions=drop");
    // 4. a clause flow of a conjunction deleted
    Flow clause = pick(want, f -> f.table() == 90 && isClause(f));
    n.ofctl("del-flows", "br-int", "--strict", strict(clause, w));

    Run found = api("audit", "--node", w, "--json");
    assertThat(found.exit()).as(found.out() + found.err()).isEqualTo(1);
    JsonNode sw = found.json().get("switches").get(0);
    assertThat(sw.get("status").asText()).isEqualTo("drift");
    assertThat(sw.get("missing").asInt()).isEqualTo(2);
    assertThat(sw.get("modified").asInt()).isEqualTo(1);
    assertThat(sw.get("extraneous").asInt()).isEqualTo(1);
    Map<String, JsonNode> byKind = new TreeMap<>();
    for (JsonNode d : sw.get("drifts")) {
      byKind.put(d.get("kind").asText() + " " + d.get("flow").asText(), d);
    }
    assertThat(byKind).hasSize(4);
    JsonNode missingPod = byKind.get("missing " + FlowText.format(deleted, names(w)));
    assertThat(missingPod).as(byKind.keySet().toString()).isNotNull();
    assertThat(missingPod.get("origins").findValuesAsText("kind")).contains("Pod");
    JsonNode missingClause = byKind.get("missing " + FlowText.format(clause, names(w)));
    assertThat(missingClause).as(byKind.keySet().toString()).isNotNull();
    assertThat(missingClause.get("origins")).isNotEmpty();
    for (JsonNode o : missingClause.get("origins")) {
      assertThat(o.get("kind").asText()).isEqualTo("NetworkPolicy");
      assertThat(o.get("rule").get("direction").asText()).isEqualTo("ingress");
      assertThat(o.get("clause").asText()).isIn("from", "to", "services");
    }
    JsonNode modified =
        sw.get("drifts").findParents("kind").stream()
            .filter(d -> d.get("kind").asText().equals("modified"))
            .findFirst()
            .orElseThrow();
    assertThat(modified.get("want").asText()).isEqualTo(FlowText.format(changed, names(w)));
    assertThat(modified.get("have").asText()).endsWith("actions=drop");
    assertThat(modified.get("reason").asText()).contains("actions");
    JsonNode extraneous =
        sw.get("drifts").findParents("kind").stream()
            .filter(d -> d.get("kind").asText().equals("extraneous"))
            .findFirst()
            .orElseThrow();
    assertThat(extraneous.get("flow").asText()).contains("nw_src=10.9.9.9");
    assertThat(extraneous.get("reason").asText()).contains("not Sluice's");

    // People get a table with provenance.
    Run human = api("audit", "--node", w);
    assertThat(human.exit()).isEqualTo(1);
    assertThat(human.out())
        .contains("DRIFT")
        .contains("2 missing, 1 modified, 1 extraneous")
        .containsPattern("missing\\s+90\\s+cookie=0x[0-9a-f]+, table=90")
        .containsPattern("from: NetworkPolicy default/\\w+ ingress rule \\d+ conj_id=\\d+ clause")
        .containsPattern("from: Pod default/backend1 \\(pod\\)")
        .containsPattern("extraneous\\s+50\\s+.*nw_src=10.9.9.9");

    long bundles = controller.counters(w).bundles();
    long mods = controller.counters(w).flowMods();
    Run repaired = api("audit", "--node", w, "--repair");
    assertThat(repaired.exit()).as(repaired.out() + repaired.err()).isEqualTo(1);
    assertThat(repaired.out()).contains("repaired in one bundle (4 changes)");
    assertThat(controller.counters(w).bundles() - bundles).isEqualTo(1);
    assertThat(controller.counters(w).flowMods() - mods).isEqualTo(4);
    awaitConverged(expected);
    assertThat(api("audit").exit()).isZero();

    // An event after the repair: the audit log names its topic, partition, offset and object.
    publisher.delete(new ObjectKey(ObjectKind.POD, "default", "backend1"));
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (onSwitch(w).stream().anyMatch(f -> FlowText.format(f, names(w)).contains("backend1"))
        && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }

    // The round's record is journaled after its barrier, a moment after the switch changed.
    List<JsonNode> records =
        awaitAuditLog(
            rs ->
                rs.stream()
                    .anyMatch(
                        r ->
                            r.path("why").path("cause").asText().equals("events")
                                && r.path("deleted").toString().contains("backend1")),
            WAIT);
    List<JsonNode> changes =
        records.stream().filter(r -> r.get("type").asText().equals("change")).toList();
    assertThat(changes.stream().map(r -> r.get("why").get("cause").asText()))
        .contains("reconnect resync", "audit repair", "events");
    JsonNode resync =
        changes.stream()
            .filter(r -> r.get("why").get("cause").asText().equals("reconnect resync"))
            .filter(r -> r.get("node").asText().equals(w))
            .findFirst()
            .orElseThrow();
    assertThat(resync.get("switch").get("datapathId").asText()).isEqualTo("0000000000000001");
    assertThat(resync.get("switch").get("bridge").asText()).isEqualTo("br-int");
    assertThat(resync.get("added")).isNotEmpty();
    JsonNode repair =
        changes.stream()
            .filter(r -> r.get("why").get("cause").asText().equals("audit repair"))
            .findFirst()
            .orElseThrow();
    assertThat(repair.get("added").findValuesAsText("added")).isEmpty();
    List<String> added = new ArrayList<>();
    repair.get("added").forEach(x -> added.add(x.asText()));
    assertThat(added)
        .containsExactlyInAnyOrder(
            FlowText.format(deleted, names(w)), FlowText.format(clause, names(w)));
    assertThat(repair.get("deleted")).hasSize(1);
    assertThat(repair.get("modified")).hasSize(1);
    // The round that carried the pod's deletion (a later round may carry only a port change).
    JsonNode event =
        changes.stream()
            .filter(r -> r.get("why").get("cause").asText().equals("events"))
            .filter(r -> r.get("node").asText().equals(w))
            .filter(
                r ->
                    r.get("why")
                        .get("events")
                        .findValuesAsText("object")
                        .contains("Pod default/backend1"))
            .reduce((a, b) -> b)
            .orElseThrow();
    JsonNode e0 = null;
    for (JsonNode e : event.get("why").get("events")) {
      if (e.get("object").asText().equals("Pod default/backend1")) {
        e0 = e;
      }
    }
    assertThat(e0).isNotNull();
    assertThat(e0.get("topic").asText()).isEqualTo(topics.pods());
    assertThat(e0.get("partition").asInt()).isZero();
    assertThat(e0.get("offset").asLong()).isNotNegative();
    assertThat(e0.get("object").asText()).isEqualTo("Pod default/backend1");
    assertThat(event.get("deleted")).isNotEmpty();
    List<JsonNode> drifts =
        records.stream().filter(r -> r.get("type").asText().equals("drift")).toList();
    assertThat(drifts).hasSize(3); // the report, the human report, the repair
    assertThat(drifts.get(0).get("drifts")).hasSize(4);

    // The same records on the audit topic.
    assertThat(auditTopic()).hasSizeGreaterThanOrEqualTo(records.size());
    String metrics = metrics();
    assertThat(metrics)
        .contains("sluice_audit_runs_total{node=\"worker1\",outcome=\"drift\"}")
        .contains("sluice_audit_repairs_total{node=\"worker1\"} 1.0")
        .contains("sluice_audit_drift_total{kind=\"missing\",node=\"worker1\"} 6.0")
        .contains("sluice_audit_flows_audited_total{node=\"worker1\"}")
        .contains("sluice_audit_seconds_count{node=\"worker1\"}");
  }

  @Test
  void deletingTable50IsReportedWithItsPoliciesAndRepaired() throws Exception {
    Map<String, Set<Flow>> expected =
        packetWalkConverged(ControllerConfig.AuditMode.REPORT, Duration.ZERO);
    String w = "worker1";
    long table50 = expected.get(w).stream().filter(f -> f.table() == 50).count();
    assertThat(table50).isGreaterThan(3);
    ovs.get(w).delFlows("br-int", "table=50");

    Run found = api("audit", "--json");
    assertThat(found.exit()).isEqualTo(1);
    JsonNode worker1 = null;
    for (JsonNode s : found.json().get("switches")) {
      if (s.get("node").asText().equals(w)) {
        worker1 = s;
      } else {
        assertThat(s.get("status").asText()).isEqualTo("clean");
      }
    }
    assertThat(worker1).isNotNull();
    assertThat(worker1.get("missing").asLong()).isEqualTo(table50);
    assertThat(worker1.get("modified").asInt() + worker1.get("extraneous").asInt()).isZero();
    Set<String> policies = new java.util.TreeSet<>();
    for (JsonNode d : worker1.get("drifts")) {
      assertThat(d.get("table").asInt()).isEqualTo(50);
      assertThat(d.get("origins")).as(d.toString()).isNotEmpty();
      d.get("origins")
          .forEach(
              o -> {
                if (o.get("kind").asText().equals("NetworkPolicy")) {
                  policies.add(o.get("namespace").asText() + "/" + o.get("name").asText());
                }
              });
    }
    assertThat(policies).contains("default/frontendpolicy");

    Run repaired = api("audit", "--node", w, "--repair");
    assertThat(repaired.exit()).isEqualTo(1);
    assertThat(repaired.out()).contains("repaired in one bundle (" + table50 + " changes)");
    awaitConverged(expected);
    Run again = api("audit");
    assertThat(again.exit()).as(again.out()).isZero();
  }

  @Test
  void thePeriodicLoopInRepairModeRestoresATamperedSwitch() throws Exception {
    Map<String, Set<Flow>> expected =
        packetWalkConverged(ControllerConfig.AuditMode.REPAIR, Duration.ofMillis(300));
    String w = "worker2";
    ovs.get(w).addFlows("br-int", "table=0,priority=1000,ip actions=drop");
    ovs.get(w).delFlows("br-int", "table=90");
    awaitConverged(expected);
    // The drift record says whether the repair was committed, so the journal writes it after the
    // repair bundle's barrier: the switch can look converged a moment before the record exists.
    List<JsonNode> records =
        awaitAuditLog(
            rs ->
                rs.stream().anyMatch(r -> r.get("type").asText().equals("drift"))
                    && rs.stream()
                        .anyMatch(r -> r.path("why").path("cause").asText().equals("audit repair")),
            Duration.ofSeconds(10));
    assertThat(records)
        .anySatisfy(
            r -> {
              assertThat(r.get("type").asText()).isEqualTo("drift");
              assertThat(r.get("node").asText()).isEqualTo(w);
              assertThat(r.get("repair").asBoolean()).isTrue();
            });
    assertThat(records)
        .anySatisfy(
            r -> {
              assertThat(r.get("type").asText()).isEqualTo("change");
              assertThat(r.get("why").get("cause").asText()).isEqualTo("audit repair");
              assertThat(r.get("deleted").toString()).contains("priority=1000,ip");
            });
    assertThat(metrics()).contains("sluice_audit_repairs_total{node=\"worker2\"}");
    JsonNode last = JSON.readTree(httpGet("/api/v1/audit"));
    assertThat(last.get("switches").findValuesAsText("status")).hasSize(2);
  }

  @Test
  void flowsShowProvenanceAndPolicyWhyAnswersThroughTheApi() throws Exception {
    Map<String, Set<Flow>> expected =
        packetWalkConverged(ControllerConfig.AuditMode.REPORT, Duration.ZERO);
    Run policy = api("flows", "--node", "worker1", "--policy", "default/frontendpolicy", "--json");
    assertThat(policy.exit()).as(policy.err()).isZero();
    JsonNode p = policy.json();
    assertThat(p.get("count").asInt()).isPositive();
    for (JsonNode e : p.get("entries")) {
      assertThat(e.get("origins").findValuesAsText("name")).contains("frontendpolicy");
    }
    Run human = api("flows", "--node", "worker1", "--policy", "default/frontendpolicy");
    assertThat(human.out())
        .containsPattern(
            "← NetworkPolicy default/frontendpolicy egress rule 0 conj_id=\\d+ clause (from|to|services)")
        .contains("(conjunction action)");
    Run pod = api("flows", "--node", "worker1", "--pod", "default/frontend", "--installed");
    assertThat(pod.out()).contains("← Pod default/frontend (pod)").contains("installed flows");
    Run t50 = api("flows", "--node", "worker1", "--table", "50", "--installed", "--json");
    assertThat(t50.json().get("count").asLong())
        .isEqualTo(expected.get("worker1").stream().filter(f -> f.table() == 50).count());

    Run allowed =
        api(
            "policy",
            "why",
            "--from",
            "default/frontend",
            "--to",
            "default/backend2",
            "--port",
            "80/TCP");
    assertThat(allowed.exit()).as(allowed.out() + allowed.err()).isZero();
    assertThat(allowed.out())
        .contains("isolated by NetworkPolicy default/frontendpolicy")
        .contains("is ALLOWED")
        .contains("node worker1:")
        .contains("node worker2:")
        .containsPattern(
            "= table 50 \\(EgressRule\\): conjunction \\d+ of NetworkPolicy default/frontendpolicy egress rule 0 — allowed");
    Run denied =
        api(
            "policy",
            "why",
            "--from",
            "default/frontend",
            "--to",
            "default/backend2",
            "--port",
            "22/TCP");
    assertThat(denied.exit()).isEqualTo(1);
    assertThat(denied.out()).contains("DENIED").contains("table 60");
  }

  // ---------------------------------------------------------------- trace vs ofproto/trace

  private static final String FRONTEND =
      "in_port=frontend-a3ba2f,dl_src=be:2c:bf:e4:ec:c5,dl_dst=4e:99:08:c1:53:be,nw_src=10.222.1.48,nw_ttl=64";
  private static final String GW1 =
      "in_port=antrea-gw0,dl_src=4e:99:08:c1:53:be,dl_dst=aa:bb:cc:dd:ee:ff,nw_src=10.222.1.48,nw_ttl=64";
  private static final String TUN2 =
      "in_port=antrea-tun0,tun_src=10.79.1.201,tun_dst=10.79.1.202,dl_src=4e:99:08:c1:53:be,"
          + "dl_dst=aa:bb:cc:dd:ee:ff,nw_src=10.222.1.48,nw_ttl=63";

  /** node, microflow, ct-next: together every table of the pipeline. */
  private static final List<String[]> PACKETS =
      List.of(
          new String[] {
            "worker1", "tcp," + FRONTEND + ",nw_dst=10.104.65.133,tcp_dst=80", "trk,new"
          },
          new String[] {"worker1", "tcp," + GW1 + ",nw_dst=10.222.2.34,tcp_dst=80", "trk,new"},
          new String[] {"worker1", "tcp," + GW1 + ",nw_dst=10.222.2.34,tcp_dst=80", "trk,est"},
          new String[] {"worker1", "tcp," + GW1 + ",nw_dst=10.222.2.34,tcp_dst=80", "trk,inv"},
          new String[] {"worker1", "tcp," + FRONTEND + ",nw_dst=10.222.2.34,tcp_dst=80", "trk,new"},
          new String[] {
            "worker1", "tcp," + FRONTEND + ",nw_dst=10.222.2.34,tcp_dst=443", "trk,new"
          },
          new String[] {"worker1", "udp," + FRONTEND + ",nw_dst=10.222.2.2,udp_dst=53", "trk,new"},
          new String[] {"worker1", "udp," + FRONTEND + ",nw_dst=10.222.1.2,udp_dst=53", "trk,new"},
          new String[] {
            "worker1",
            "tcp,in_port=backend1-bab86f,dl_src=f2:32:d8:07:e2:a6,dl_dst=4e:99:08:c1:53:be,"
                + "nw_src=10.222.1.47,nw_dst=10.222.2.34,tcp_dst=80,nw_ttl=64",
            "trk,new"
          },
          new String[] {
            "worker1",
            "tcp,in_port=frontend-a3ba2f,dl_src=be:2c:bf:e4:ec:c6,nw_src=10.222.1.48,"
                + "nw_dst=10.222.2.34,tcp_dst=80,nw_ttl=64",
            "trk,new"
          },
          new String[] {
            "worker1",
            "arp,in_port=frontend-a3ba2f,dl_src=be:2c:bf:e4:ec:c5,arp_spa=10.222.1.48,"
                + "arp_sha=be:2c:bf:e4:ec:c5,arp_tpa=10.222.1.1",
            "trk,new"
          },
          new String[] {
            "worker1",
            "tcp,in_port=antrea-gw0,ct_mark=0x20,dl_src=4e:99:08:c1:53:be,"
                + "dl_dst=be:2c:bf:e4:ec:c5,nw_src=10.222.2.34,nw_dst=10.222.1.48,tcp_src=80,nw_ttl=64",
            "trk,est"
          },
          new String[] {
            "worker1",
            "tcp,in_port=antrea-tun0,tun_src=10.79.1.202,tun_dst=10.79.1.201,dl_src=02:d8:4e:3f:92:1d,"
                + "dl_dst=aa:bb:cc:dd:ee:ff,nw_src=10.222.2.34,nw_dst=10.222.1.48,tcp_src=80,nw_ttl=63",
            "trk,est"
          },
          new String[] {"worker2", "tcp," + TUN2 + ",nw_dst=10.222.2.34,tcp_dst=80", "trk,new"},
          new String[] {"worker2", "tcp," + TUN2 + ",nw_dst=10.222.2.34,tcp_dst=80", "trk,est"},
          new String[] {"worker2", "tcp," + TUN2 + ",nw_dst=10.222.2.2,tcp_dst=53", "trk,new"},
          new String[] {"worker2", "tcp," + TUN2 + ",nw_dst=10.222.2.1,tcp_dst=22", "trk,new"},
          new String[] {
            "worker2",
            "tcp,in_port=backend2-202ff6,dl_src=c6:f4:b5:76:10:38,dl_dst=02:d8:4e:3f:92:1d,"
                + "nw_src=10.222.2.34,nw_dst=10.222.1.48,tcp_src=80,nw_ttl=64",
            "trk,est"
          });

  @Test
  void sluiceTraceAgreesWithOfprotoTraceOnEveryTable() throws Exception {
    packetWalkConverged(ControllerConfig.AuditMode.REPORT, Duration.ZERO);
    SoftAssertions soft = new SoftAssertions();
    Set<Integer> tables = new java.util.TreeSet<>();
    for (String[] c : PACKETS) {
      TraceResult o = ovs.get(c[0]).ofprotoTrace("br-int", c[1], c[2]);
      List<Long> ovsPorts = o.effectiveOutputPorts().stream().map(Integer::longValue).toList();
      for (boolean installed : new boolean[] {false, true}) {
        List<String> args =
            new ArrayList<>(List.of("trace", "--node", c[0], "--ct-next", c[2], "--json", c[1]));
        if (installed) {
          args.add("--installed");
        }
        Run r = api(args.toArray(String[]::new));
        soft.assertThat(r.exit()).as(r.err()).isZero();
        JsonNode t = r.json();
        String why =
            "\n"
                + String.join(" ", args)
                + "\nOVS:\n"
                + o.text()
                + "\nsluice:\n"
                + t.get("text").asText();
        List<Integer> simTables = new ArrayList<>();
        t.get("tables").forEach(x -> simTables.add(x.asInt()));
        List<Long> simPorts = new ArrayList<>();
        t.get("outputPorts").forEach(x -> simPorts.add(x.asLong()));
        if (simPorts.remove(Long.valueOf(NORMAL))) {
          // OVS floods NORMAL traffic without naming OpenFlow ports: compare the action.
          soft.assertThat(o.text()).as("NORMAL" + why).contains("NORMAL");
        }
        soft.assertThat(simTables).as("tables" + why).isEqualTo(o.tables());
        soft.assertThat(simPorts).as("output ports" + why).isEqualTo(ovsPorts);
        for (JsonNode s : t.get("steps")) {
          soft.assertThat(s.get("provenance").asText())
              .as(why)
              .startsWith("table " + s.get("table").asInt());
        }
        tables.addAll(simTables);
      }
    }
    soft.assertThat(tables)
        .as("tables covered")
        .containsAll(List.of(0, 10, 20, 30, 31, 40, 50, 60, 70, 80, 90, 100, 105, 110));
    soft.assertAll();

    Run human =
        api("trace", "--node", "worker1", "tcp," + FRONTEND + ",nw_dst=10.222.2.34,tcp_dst=80");
    assertThat(human.out())
        .contains("node worker1, desired flows")
        .containsPattern(
            "= table 50 \\(EgressRule\\): conjunction \\d+ of NetworkPolicy default/frontendpolicy egress rule 0 — allowed")
        .contains("verdict:");
  }

  private static final long NORMAL = 0xfffffffaL;

  // ---------------------------------------------------------------- plumbing

  private String httpGet(String path) throws Exception {
    return java.net.http.HttpClient.newHttpClient()
        .send(
            java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://" + controller.apiAddress() + path))
                .build(),
            java.net.http.HttpResponse.BodyHandlers.ofString())
        .body();
  }

  private String metrics() throws Exception {
    return httpGet("/metrics");
  }

  private List<String> auditTopic() {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "audit-reader-" + topics.audit());
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    List<String> out = new ArrayList<>();
    try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p)) {
      c.subscribe(List.of(topics.audit()));
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      int empty = 0;
      while (System.nanoTime() < deadline && empty < 3) {
        var records = c.poll(Duration.ofMillis(500));
        if (records.isEmpty() && !out.isEmpty()) {
          empty++;
        }
        for (ConsumerRecord<String, String> r : records) {
          out.add(r.key() + " " + r.value());
        }
      }
    }
    return out;
  }
}
