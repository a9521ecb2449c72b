package dev.sluice.controller.cli;

import dev.sluice.compiler.cluster.Ipv4Cidr;
import dev.sluice.controller.events.TopicNames;
import dev.sluice.controller.runtime.Controller;
import dev.sluice.controller.runtime.ControllerConfig;
import dev.sluice.southbound.channel.TlsConfig;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sluice controller}: run the controller until SIGTERM/SIGINT. Every setting of the
 * configuration file (see {@code deploy/controller.example.yaml}) can be given as a flag; flags win
 * over the file.
 */
@Command(
    name = "controller",
    mixinStandardHelpOptions = true,
    description =
        "Run the controller: consume cluster events from Kafka, compile them and keep every"
            + " connected node's br-int equal to the result. Stops cleanly on SIGTERM.")
final class ControllerCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--config", paramLabel = "FILE", description = "YAML configuration file.")
  Path configFile;

  @Option(
      names = "--listen",
      paramLabel = "ADDR",
      description = "OpenFlow listen address: HOST:PORT, tcp:HOST:PORT or unix:PATH.")
  String listen;

  @Option(names = "--tls-cert", paramLabel = "PEM", description = "Controller certificate chain.")
  Path tlsCert;

  @Option(names = "--tls-key", paramLabel = "PEM", description = "Controller private key.")
  Path tlsKey;

  @Option(
      names = "--tls-switch-ca",
      paramLabel = "PEM",
      description = "CA that signs switch certificates (switches must present one).")
  Path tlsCa;

  @Option(names = "--bootstrap", paramLabel = "HOST:PORT", description = "Kafka bootstrap servers.")
  String bootstrap;

  @Option(names = "--group", paramLabel = "GROUP", description = "Kafka consumer group.")
  String group;

  @Option(
      names = "--topic-prefix",
      paramLabel = "PREFIX",
      description = "Prefix of every topic name (<prefix>pods, <prefix>realization, ...).")
  String topicPrefix;

  @Option(
      names = "--realization-topic",
      paramLabel = "TOPIC",
      description = "Topic for realization events.")
  String realizationTopic;

  @Option(names = "--partitions", description = "Partitions of topics the controller creates.")
  Integer partitions;

  @Option(names = "--service-cidr", paramLabel = "CIDR", description = "The Service CIDR.")
  String serviceCidr;

  @Option(names = "--cookie-round", description = "The cookie round of all flows (0..65535).")
  Integer cookieRound;

  @Option(
      names = "--switch",
      paramLabel = "DPID=NODE",
      description =
          "Match the switch with datapath id DPID (hex) to NODE, for nodes without the"
              + " sluice.dev/datapath-id annotation. Repeatable.")
  List<String> switches = new ArrayList<>();

  @Option(
      names = "--audit-interval",
      converter = DurationConverter.class,
      paramLabel = "DURATION",
      description = "How often the auditor compares switches with the desired state.")
  Duration auditInterval;

  @Option(
      names = "--audit-mode",
      paramLabel = "report|repair",
      description = "What the periodic audit does with drift: report it, or repair it too.")
  String auditMode;

  @Option(
      names = "--audit-log",
      paramLabel = "FILE",
      description =
          "The audit log (JSON lines, rotated); default $XDG_STATE_HOME/sluice/audit.log, or"
              + " ~/.local/state/sluice/audit.log.")
  Path auditLog;

  @Option(names = "--audit-topic", paramLabel = "TOPIC", description = "Topic for audit records.")
  String auditTopic;

  @Option(
      names = "--api-listen",
      paramLabel = "HOST:PORT",
      description = "HTTP API address (default 127.0.0.1:8181).")
  String apiListen;

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    ControllerConfig config = config();
    Path auditDir = config.audit().log().toAbsolutePath().getParent();
    if (auditDir != null) {
      Files.createDirectories(auditDir);
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Controller c = Controller.start(config);
    Thread hook =
        new Thread(
            () -> {
              c.close();
              stopped.countDown();
            },
            "sluice-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    err.printf(
        "sluice controller: openflow %s, audit log %s, api http://%s%n",
        c.openflowAddresses(), config.audit().log().toAbsolutePath(), c.apiAddress());
    err.flush();
    try {
      c.terminated().join();
    } catch (RuntimeException e) {
      err.println("sluice controller: event source failed: " + Errors.describe(e));
      c.close();
      return 1;
    }
    stopped.await();
    return 0;
  }

  /** The file (or the defaults) with the flags on top. */
  ControllerConfig config() throws java.io.IOException {
    ControllerConfig base =
        configFile == null ? ControllerConfig.defaults() : ControllerConfig.load(configFile);
    ControllerConfig.Builder b = base.toBuilder();
    if (listen != null) {
      b.openflowListen = listen;
    }
    if (tlsCert != null || tlsKey != null) {
      if (tlsCert == null || tlsKey == null) {
        throw new IllegalArgumentException("--tls-cert and --tls-key go together");
      }
      b.tls = Optional.of(new TlsConfig(tlsCert, tlsKey, Optional.ofNullable(tlsCa)));
    }
    if (bootstrap != null) {
      b.bootstrapServers = bootstrap;
    }
    if (group != null) {
      b.consumerGroup = group;
    }
    if (topicPrefix != null) {
      b.topics = TopicNames.withPrefix(topicPrefix);
    }
    if (realizationTopic != null || auditTopic != null) {
      TopicNames t = b.topics;
      b.topics =
          new TopicNames(
              t.nodes(),
              t.namespaces(),
              t.pods(),
              t.services(),
              t.endpoints(),
              t.endpointSlices(),
              t.networkPolicies(),
              t.deadLetter(),
              realizationTopic != null ? realizationTopic : t.realization(),
              auditTopic != null ? auditTopic : t.audit());
    }
    if (partitions != null) {
      b.topicPartitions = partitions;
    }
    if (serviceCidr != null) {
      b.serviceCidr = Ipv4Cidr.parse(serviceCidr);
    }
    if (cookieRound != null) {
      b.cookieRound = cookieRound;
    }
    if (!switches.isEmpty()) {
      Map<Long, String> m = new TreeMap<>(b.switches);
      for (String s : switches) {
        int eq = s.indexOf('=');
        if (eq <= 0) {
          throw new IllegalArgumentException("--switch " + s + ": expected DPID=NODE");
        }
        m.put(ControllerConfig.parseDatapathId(s.substring(0, eq)), s.substring(eq + 1));
      }
      b.switches = m;
    }
    if (auditInterval != null) {
      b.auditInterval = auditInterval;
    }
    if (auditMode != null) {
      b.auditMode = ControllerConfig.AuditMode.parse(auditMode);
    }
    if (auditLog != null) {
      b.auditLog = auditLog;
    }
    if (apiListen != null) {
      b.apiListen = apiListen;
    }
    return b.build();
  }
}
