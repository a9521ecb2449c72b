package dev.sluice.controller.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ControllerConfigTest {
  private static final Path EXAMPLE = Path.of("..", "deploy", "controller.example.yaml");

  @Test
  void theDocumentedExampleLoadsAndEqualsTheDefaults() throws Exception {
    assertThat(ControllerConfig.load(EXAMPLE)).isEqualTo(ControllerConfig.defaults());
  }

  @Test
  void fileSettingsOverrideDefaults(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("c.yaml");
    Files.writeString(
        f,
        String.join(
            "\n",
            "openflow: {listen: 'unix:/tmp/sluice.sock'}",
            "kafka: {bootstrapServers: 'k:9092', topicPrefix: 'lab.', topics: {realization: r}}",
            "cluster: {serviceCidr: 10.100.0.0/16}",
            "switches: {'0xa1': worker1, '00000000000000b2': worker2}",
            "audit: {interval: 5m, mode: repair, log: /tmp/a.log, logMaxMegabytes: 2, logFiles: 3}",
            "api: {listen: '0.0.0.0:9000'}",
            ""));
    ControllerConfig c = ControllerConfig.load(f);
    assertThat(c.openflow().listen()).isEqualTo("unix:/tmp/sluice.sock");
    assertThat(c.kafka().bootstrapServers()).isEqualTo("k:9092");
    assertThat(c.kafka().topics().pods()).isEqualTo("lab.pods");
    assertThat(c.kafka().topics().realization()).isEqualTo("r");
    assertThat(c.cluster().serviceCidr().toString()).isEqualTo("10.100.0.0/16");
    assertThat(c.switches()).isEqualTo(Map.of(0xa1L, "worker1", 0xb2L, "worker2"));
    assertThat(c.audit().interval()).isEqualTo(Duration.ofMinutes(5));
    assertThat(c.audit().mode()).isEqualTo(ControllerConfig.AuditMode.REPAIR);
    assertThat(c.audit().log()).isEqualTo(Path.of("/tmp/a.log"));
    assertThat(c.audit().logMaxBytes()).isEqualTo(2L * 1024 * 1024);
    assertThat(c.audit().logFiles()).isEqualTo(3);
    assertThat(c.api().listen()).isEqualTo("0.0.0.0:9000");
  }

  @Test
  void theAuditDefaultsAreTenSecondsReportOnlyAndARotatingLog() {
    ControllerConfig c = ControllerConfig.defaults();
    assertThat(c.audit().interval()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.audit().mode()).isEqualTo(ControllerConfig.AuditMode.REPORT);
    assertThat(c.audit().log().getFileName()).isEqualTo(Path.of("audit.log"));
    assertThat(c.audit().log().isAbsolute()).isTrue();
    assertThat(ControllerConfig.AuditMode.parse("Repair"))
        .isEqualTo(ControllerConfig.AuditMode.REPAIR);
    assertThatThrownBy(() -> ControllerConfig.AuditMode.parse("fix"))
        .hasMessageContaining("report or repair");
  }

  @Test
  void theAuditLogDefaultsToTheXdgStateDirectoryNotTheWorkingDirectory() {
    assertThat(ControllerConfig.defaultAuditLog(Map.of("XDG_STATE_HOME", "/st"), "/home/u"))
        .isEqualTo(Path.of("/st/sluice/audit.log"));
    assertThat(ControllerConfig.defaultAuditLog(Map.of(), "/home/u"))
        .isEqualTo(Path.of("/home/u/.local/state/sluice/audit.log"));
    // The XDG specification: a relative value is invalid and ignored.
    assertThat(ControllerConfig.defaultAuditLog(Map.of("XDG_STATE_HOME", "rel"), "/home/u"))
        .isEqualTo(Path.of("/home/u/.local/state/sluice/audit.log"));
  }

  @Test
  void aBadDurationNamesTheFieldInTheFile(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("c.yaml");
    Files.writeString(f, "retry:\n  max: soon\n");
    assertThatThrownBy(() -> ControllerConfig.load(f))
        .hasMessageContaining("retry.max: 'soon' is not a duration");
  }

  @Test
  void flagsAndFilesShareOneDurationSyntax() {
    assertThat(Durations.parse("2m")).isEqualTo(Duration.ofMinutes(2));
    assertThat(Durations.parse("pt1h")).isEqualTo(Duration.ofHours(1));
    assertThatThrownBy(() -> Durations.parse("-5s")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Durations.parse("5")).hasMessageContaining("'5' is not a duration");
  }

  @Test
  void anUnknownKeyIsAnErrorNamingIt(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("c.yaml");
    Files.writeString(f, "kafka:\n  bootstrap: x:1\n");
    assertThatThrownBy(() -> ControllerConfig.load(f))
        .hasMessageContaining("unknown setting 'kafka.bootstrap'");
  }

  @Test
  void datapathIdsAndDurationsParse() {
    assertThat(ControllerConfig.parseDatapathId("0000000000000001")).isEqualTo(1L);
    assertThat(ControllerConfig.parseDatapathId("0xFFFFFFFFFFFFFFFF")).isEqualTo(-1L);
    assertThatThrownBy(() -> ControllerConfig.parseDatapathId("xyz"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(ControllerConfig.parseDuration("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(ControllerConfig.parseDuration("PT30S")).isEqualTo(Duration.ofSeconds(30));
  }

  private static Path write(Path dir, String yaml) throws Exception {
    Path f = dir.resolve("c.yaml");
    Files.writeString(f, yaml);
    return f;
  }

  @Test
  void anUnknownNestedKeyNamesItsPathAndTheFile(@TempDir Path dir) throws Exception {
    Path f = write(dir, "kafka:\n  topics:\n    pod: x\n");
    assertThatThrownBy(() -> ControllerConfig.load(f))
        .hasMessageStartingWith(f + ": ")
        .hasMessageContaining("unknown setting 'kafka.topics.pod'")
        .hasMessageContaining("pods");
    Path tls = write(dir, "openflow:\n  tls: {certificate: a, privateKey: b, ca: c}\n");
    assertThatThrownBy(() -> ControllerConfig.load(tls))
        .hasMessageContaining("unknown setting 'openflow.tls.ca'");
    Path top = write(dir, "auditing: {}\n");
    assertThatThrownBy(() -> ControllerConfig.load(top))
        .hasMessageContaining("unknown setting 'auditing' (known: [api, audit, cluster, kafka,");
  }

  @Test
  void aValueOfTheWrongTypeNamesTheKey(@TempDir Path dir) throws Exception {
    Path f = write(dir, "kafka:\n  partitions: many\n");
    assertThatThrownBy(() -> ControllerConfig.load(f))
        .hasMessageContaining("kafka.partitions: expected an integer, got 'many'");
    Path section = write(dir, "api: 8181\n");
    assertThatThrownBy(() -> ControllerConfig.load(section))
        .hasMessageContaining("api: expected a map of settings");
    Path list = write(dir, "switches: [a, b]\n");
    assertThatThrownBy(() -> ControllerConfig.load(list))
        .hasMessageContaining("switches: expected a map of datapath id");
  }

  @Test
  void aBadDurationOrModeNamesTheKey(@TempDir Path dir) throws Exception {
    Path unitless = write(dir, "audit:\n  interval: 10\n");
    assertThatThrownBy(() -> ControllerConfig.load(unitless))
        .hasMessageContaining("audit.interval: '10' is not a duration");
    Path mode = write(dir, "audit:\n  mode: fix\n");
    assertThatThrownBy(() -> ControllerConfig.load(mode))
        .hasMessageContaining("audit.mode")
        .hasMessageContaining("expected report or repair");
  }

  @Test
  void validationNamesTheKey(@TempDir Path dir) throws Exception {
    Path retry = write(dir, "retry: {min: 1m}\n");
    assertThatThrownBy(() -> ControllerConfig.load(retry))
        .hasMessageContaining("retry.max (PT30S) must not be shorter than retry.min (PT1M)");
    Path round = write(dir, "cluster: {cookieRound: 70000}\n");
    assertThatThrownBy(() -> ControllerConfig.load(round))
        .hasMessageContaining("cluster.cookieRound 70000 is not 0..65535");
    Path dpid = write(dir, "switches: {xyz: worker1}\n");
    assertThatThrownBy(() -> ControllerConfig.load(dpid))
        .hasMessageContaining("switches: datapath id 'xyz' is not hex");
    Path tls = write(dir, "openflow: {tls: {privateKey: k}}\n");
    assertThatThrownBy(() -> ControllerConfig.load(tls))
        .hasMessageContaining("openflow.tls.certificate is required");
    ControllerConfig.Builder b = ControllerConfig.defaults().toBuilder();
    b.topicPartitions = 0;
    assertThatThrownBy(b::build).hasMessageContaining("kafka.partitions must be >= 1");
  }

  @Test
  void aKeyTheFileLeavesOutKeepsItsDefault(@TempDir Path dir) throws Exception {
    Path f = write(dir, "retry: {max: 1m}\nkafka: {partitions: 3}\ncluster: {cookieRound: 0}\n");
    ControllerConfig c = ControllerConfig.load(f);
    ControllerConfig d = ControllerConfig.defaults();
    assertThat(c.retry().min()).isEqualTo(d.retry().min());
    assertThat(c.retry().max()).isEqualTo(Duration.ofMinutes(1));
    assertThat(c.kafka().partitions()).isEqualTo(3);
    assertThat(c.kafka().topics()).isEqualTo(d.kafka().topics());
    assertThat(c.cluster().cookieRound()).isZero();
    assertThat(c.cluster().serviceCidr()).isEqualTo(d.cluster().serviceCidr());
    assertThat(c.audit()).isEqualTo(d.audit());
    assertThat(c.toBuilder().build()).isEqualTo(c);
  }
}
