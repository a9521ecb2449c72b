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
    assertThat(c.openflowListen()).isEqualTo("unix:/tmp/sluice.sock");
    assertThat(c.bootstrapServers()).isEqualTo("k:9092");
    assertThat(c.topics().pods()).isEqualTo("lab.pods");
    assertThat(c.topics().realization()).isEqualTo("r");
    assertThat(c.serviceCidr().toString()).isEqualTo("10.100.0.0/16");
    assertThat(c.switches()).isEqualTo(Map.of(0xa1L, "worker1", 0xb2L, "worker2"));
    assertThat(c.auditInterval()).isEqualTo(Duration.ofMinutes(5));
    assertThat(c.auditMode()).isEqualTo(ControllerConfig.AuditMode.REPAIR);
    assertThat(c.auditLog()).isEqualTo(Path.of("/tmp/a.log"));
    assertThat(c.auditLogMaxBytes()).isEqualTo(2L * 1024 * 1024);
    assertThat(c.auditLogFiles()).isEqualTo(3);
    assertThat(c.apiListen()).isEqualTo("0.0.0.0:9000");
  }

  @Test
  void theAuditDefaultsAreTenSecondsReportOnlyAndARotatingLog() {
    ControllerConfig c = ControllerConfig.defaults();
    assertThat(c.auditInterval()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.auditMode()).isEqualTo(ControllerConfig.AuditMode.REPORT);
    assertThat(c.auditLog().getFileName()).isEqualTo(Path.of("audit.log"));
    assertThat(c.auditLog().isAbsolute()).isTrue();
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
}
