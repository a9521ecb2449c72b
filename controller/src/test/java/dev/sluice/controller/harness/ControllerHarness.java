package dev.sluice.controller.harness;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.compiler.compile.PortMap;
import dev.sluice.compiler.flow.Flow;
import dev.sluice.compiler.flow.FlowText;
import dev.sluice.compiler.flow.PortNames;
import dev.sluice.controller.events.Publisher;
import dev.sluice.controller.events.TopicNames;
import dev.sluice.controller.runtime.Controller;
import dev.sluice.controller.runtime.ControllerConfig;
import dev.sluice.testkit.kafka.EmbeddedKafka;
import dev.sluice.testkit.ovs.OvsNode;
import dev.sluice.testkit.packetwalk.PacketWalk;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The controller end to end with real parts, as {@code ControllerIT} and {@code AuditIT} use it: a
 * broker (the test's {@link EmbeddedKafka}, shared by the class), one private OVS node per
 * packet-walk worker ({@link PacketWalk#startNode}) whose {@code br-int} points at a free local
 * OpenFlow port, a {@link Publisher} on topics of their own, and the {@link Controller} the test
 * starts with {@link #startController}. {@link #close} stops all of it, the nodes by pid.
 *
 * <p>{@link #config(String, TopicNames, int, String)} is the test configuration on its own, for the
 * benchmarks that build their switches differently.
 */
public final class ControllerHarness implements AutoCloseable {
  /** How long {@link #awaitConverged} waits. */
  public static final Duration WAIT = Duration.ofSeconds(20);

  private final EmbeddedKafka kafka;
  private final TopicNames topics;
  private final int openflowPort;
  private final Map<String, OvsNode> ovs = new TreeMap<>();
  private final Map<String, PortMap> ports = new TreeMap<>();
  private @Nullable Publisher publisher;
  private @Nullable Controller controller;

  private ControllerHarness(EmbeddedKafka kafka, TopicNames topics, int openflowPort) {
    this.kafka = kafka;
    this.topics = topics;
    this.openflowPort = openflowPort;
  }

  /**
   * Starts both workers' switches (pointed at a free port, reconnect backoff 1 s) and a publisher
   * on {@code TopicNames.withPrefix(topicPrefix)}; no controller yet.
   */
  public static ControllerHarness packetWalk(EmbeddedKafka kafka, String topicPrefix) {
    ControllerHarness h =
        new ControllerHarness(kafka, TopicNames.withPrefix(topicPrefix), freePort());
    try {
      for (String w : PacketWalk.WORKERS) {
        h.ports.put(w, PortMap.readCsv(PacketWalk.portsCsv(w)));
        OvsNode n = PacketWalk.startNode(w);
        h.ovs.put(w, n);
        // The controller target is set once, before any flow: changing it later wipes the flows.
        n.setController(PacketWalk.BRIDGE, "tcp:127.0.0.1:" + h.openflowPort, 1000);
      }
      h.publisher =
          new Publisher(kafka.bootstrapServers(), h.topics, Duration.ofSeconds(30), Map.of());
      return h;
    } catch (IOException e) {
      h.close();
      throw new UncheckedIOException(e);
    } catch (RuntimeException | Error e) {
      h.close();
      throw e;
    }
  }

  /**
   * The configuration of a controller for tests: OpenFlow on {@code tcp:127.0.0.1:<openflowPort>},
   * the API on a free port, consumer group {@code <groupPrefix><pods topic>}, Kafka retries between
   * 100 ms and 1 s.
   */
  public static ControllerConfig.Builder config(
      String bootstrapServers, TopicNames topics, int openflowPort, String groupPrefix) {
    ControllerConfig.Builder b = ControllerConfig.defaults().toBuilder();
    b.openflowListen = "tcp:127.0.0.1:" + openflowPort;
    b.bootstrapServers = bootstrapServers;
    b.consumerGroup = groupPrefix + topics.pods();
    b.topics = topics;
    b.apiListen = "127.0.0.1:0";
    b.retryMin = Duration.ofMillis(100);
    b.retryMax = Duration.ofSeconds(1);
    return b;
  }

  /** A port that was free a moment ago on 127.0.0.1. */
  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Starts a controller with {@link #config(String, TopicNames, int, String) the test
   * configuration} for this harness's broker, topics and OpenFlow port, changed by {@code
   * customize}; it becomes {@link #controller()}. A controller started before is closed first. The
   * controller creates its topics writable ({@code TopicAdmin.ensureTopics} waits for their
   * leaders), so a publisher can send at once.
   */
  public Controller startController(Consumer<ControllerConfig.Builder> customize) throws Exception {
    if (controller != null) {
      controller.close();
      controller = null;
    }
    ControllerConfig.Builder b = config(kafka.bootstrapServers(), topics, openflowPort, "g-");
    customize.accept(b);
    controller = Controller.start(b.build());
    return controller;
  }

  /** The controller last started. */
  public Controller controller() {
    if (controller == null) {
      throw new IllegalStateException("no controller started");
    }
    return controller;
  }

  /** The publisher on this harness's topics. */
  public Publisher publisher() {
    if (publisher == null) {
      throw new IllegalStateException("harness closed");
    }
    return publisher;
  }

  public TopicNames topics() {
    return topics;
  }

  /** The OVS node of each worker, by worker name. */
  public Map<String, OvsNode> ovs() {
    return Collections.unmodifiableMap(ovs);
  }

  /** The port map of each worker (from {@code ports-<worker>.csv}), by worker name. */
  public Map<String, PortMap> ports() {
    return Collections.unmodifiableMap(ports);
  }

  public PortNames names(String worker) {
    return ports.get(worker).names();
  }

  /** The flows on the worker's {@code br-int} ({@code dump-flows}), parsed. */
  public Set<Flow> onSwitch(String worker) {
    List<String> dump = ovs.get(worker).dumpFlows(PacketWalk.BRIDGE);
    return new HashSet<>(FlowText.parseAll(String.join("\n", dump), names(worker), false));
  }

  /** What {@code sluice compile -f MANIFESTS --node WORKER --ports CSV} prints, parsed. */
  public Set<Flow> sluiceCompile(String worker) {
    Cli.Run r =
        Cli.run(
            "compile",
            "-f",
            PacketWalk.manifests().toString(),
            "--node",
            worker,
            "--ports",
            PacketWalk.portsCsv(worker).toString());
    assertThat(r.exit()).as(r.err()).isZero();
    return new HashSet<>(FlowText.parseAll(r.out(), names(worker), true));
  }

  /** {@link #sluiceCompile} for every worker. */
  public Map<String, Set<Flow>> expectedPacketWalk() {
    Map<String, Set<Flow>> m = new TreeMap<>();
    for (String w : PacketWalk.WORKERS) {
      m.put(w, sluiceCompile(w));
    }
    return m;
  }

  /**
   * Waits until every bridge in {@code expected} holds exactly its flows and the controller calls
   * those nodes converged; after {@link #WAIT} the first difference fails the test.
   */
  public void awaitConverged(Map<String, Set<Flow>> expected) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      boolean ok = controller().converged(expected.keySet());
      if (ok) {
        for (Map.Entry<String, Set<Flow>> e : expected.entrySet()) {
          if (!onSwitch(e.getKey()).equals(e.getValue())) {
            ok = false;
            break;
          }
        }
      }
      if (ok) {
        return;
      }
      if (System.nanoTime() > deadline) {
        for (Map.Entry<String, Set<Flow>> e : expected.entrySet()) {
          assertThat(onSwitch(e.getKey())).as(e.getKey()).isEqualTo(e.getValue());
        }
        assertThat(controller().converged(expected.keySet())).as("controller converged").isTrue();
      }
      Thread.sleep(100);
    }
  }

  /** Closes the publisher and the controller and stops every OVS node (by pid). */
  @Override
  public void close() {
    RuntimeException failure = null;
    for (AutoCloseable c : new AutoCloseable[] {publisher, controller}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception e) {
        failure = addTo(failure, e);
      }
    }
    publisher = null;
    controller = null;
    for (OvsNode n : ovs.values()) {
      try {
        n.close();
      } catch (RuntimeException e) {
        failure = addTo(failure, e);
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  private static RuntimeException addTo(@Nullable RuntimeException failure, Exception e) {
    if (failure == null) {
      return e instanceof RuntimeException r ? r : new IllegalStateException(e);
    }
    failure.addSuppressed(e);
    return failure;
  }
}
