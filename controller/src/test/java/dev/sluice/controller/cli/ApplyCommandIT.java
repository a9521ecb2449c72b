package dev.sluice.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.controller.events.TopicAdmin;
import dev.sluice.controller.events.TopicNames;
import dev.sluice.testkit.kafka.EmbeddedKafka;
import dev.sluice.testkit.packetwalk.PacketWalk;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code sluice apply}/{@code delete} and topic creation against a real KRaft broker. */
class ApplyCommandIT {
  private static final Path PACKET_WALK = PacketWalk.manifests();
  private static EmbeddedKafka kafka;
  private static Admin admin;

  @BeforeAll
  static void startBroker() {
    kafka = EmbeddedKafka.startNew();
    admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
  }

  @AfterAll
  static void stopBroker() {
    admin.close();
    kafka.close();
  }

  private record Run(int exit, String out, String err) {}

  private static Run run(Object command, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = new CommandLine(command);
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int exit = cl.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  @Test
  void ensureTopicsCreatesCompactedObjectTopicsOnceAndLeavesExistingAlone() throws Exception {
    TopicNames names = TopicNames.withPrefix("admin.");
    TopicAdmin topics = new TopicAdmin(admin, Duration.ofSeconds(30));
    assertThat(topics.ensureTopics(names, 1, (short) 1).values())
        .containsOnly(TopicAdmin.Outcome.CREATED);
    assertThat(topics.ensureTopics(names, 1, (short) 1).values())
        .containsOnly(TopicAdmin.Outcome.EXISTED);

    Collection<Config> configs =
        describeWhenKnown(
            List.of(
                new ConfigResource(ConfigResource.Type.TOPIC, "admin.networkpolicies"),
                new ConfigResource(ConfigResource.Type.TOPIC, "admin.deadletter")));
    assertThat(configs)
        .extracting(c -> c.get(TopicConfig.CLEANUP_POLICY_CONFIG).value())
        .containsExactlyInAnyOrder("compact", "delete");
  }

  /**
   * Describes topic configs, retrying while the broker does not know the topics yet: a created
   * topic reaches the broker's metadata cache asynchronously (KRaft), so a describe right after
   * CreateTopics may answer UNKNOWN_TOPIC_OR_PARTITION (seen under load in CI).
   */
  private Collection<Config> describeWhenKnown(List<ConfigResource> resources) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      try {
        return admin.describeConfigs(resources).all().get(30, TimeUnit.SECONDS).values();
      } catch (java.util.concurrent.ExecutionException e) {
        if (!(e.getCause()
                instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException)
            || System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(100);
      }
    }
  }

  @Test
  void applyPublishesEveryObjectAndDeletePublishesTombstones(@TempDir Path tmp) throws Exception {
    new TopicAdmin(admin, Duration.ofSeconds(30))
        .ensureTopics(TopicNames.withPrefix("cli."), 1, (short) 1);
    String[] common = {"--bootstrap", kafka.bootstrapServers(), "--topic-prefix", "cli."};

    Run apply =
        run(
            new ApplyCommand(),
            concat(
                common,
                "-f",
                PACKET_WALK.resolve("10-nodes.yaml").toString(),
                "-f",
                PACKET_WALK.resolve("40-policies.yaml").toString()));
    assertThat(apply.exit()).as(apply.err()).isZero();
    assertThat(apply.out().lines())
        .containsExactly(
            "node/master published",
            "node/worker1 published",
            "node/worker2 published",
            "networkpolicy.networking.k8s.io/default/frontendpolicy published",
            "networkpolicy.networking.k8s.io/default/backendpolicy published");

    Run delete =
        run(
            new DeleteCommand(),
            concat(common, "-f", PACKET_WALK.resolve("40-policies.yaml").toString()));
    assertThat(delete.exit()).as(delete.err()).isZero();
    assertThat(delete.out().lines())
        .containsExactly(
            "networkpolicy.networking.k8s.io/default/frontendpolicy deleted",
            "networkpolicy.networking.k8s.io/default/backendpolicy deleted");

    Path bad = tmp.resolve("bad.yaml");
    Files.writeString(
        bad,
        "apiVersion: v1\nkind: Pod\nmetadata: {name: ok, namespace: default}\n---\n"
            + "kind: [unclosed\n");
    Run partial = run(new ApplyCommand(), concat(common, "-f", bad.toString()));
    assertThat(partial.exit()).isEqualTo(1);
    assertThat(partial.out().lines()).containsExactly("pod/default/ok published");
    assertThat(partial.err()).contains("bad.yaml#1").contains("malformed YAML");
  }

  @Test
  void unreachableBrokerFailsWithinTheTimeout() {
    Run r =
        run(
            new ApplyCommand(),
            "--bootstrap",
            "127.0.0.1:1",
            "--timeout",
            "2s",
            "-f",
            PACKET_WALK.resolve("00-namespaces.yaml").toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("publishing to 127.0.0.1:1 failed");
  }

  private static String[] concat(String[] a, String... b) {
    String[] all = new String[a.length + b.length];
    System.arraycopy(a, 0, all, 0, a.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}
