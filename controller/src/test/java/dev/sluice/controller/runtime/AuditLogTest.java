package dev.sluice.controller.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditLogTest {
  private static Map<String, Object> record(int i) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", "change");
    m.put("n", i);
    m.put("added", List.of("table=0,priority=200,in_port=1 actions=resubmit(,10)".repeat(3)));
    return m;
  }

  @Test
  void writesOneJsonObjectPerLineAndPublishesEachRecordKeyedByNode(@TempDir Path dir)
      throws Exception {
    List<String> published = new ArrayList<>();
    Path file = dir.resolve("sub/audit.log");
    try (AuditLog log =
        new AuditLog(file, 1 << 20, 3, (node, line) -> published.add(node + " " + line))) {
      log.record("worker1", record(1));
      log.record("worker2", record(2));
      assertThat(log.written()).isEqualTo(2);
    }
    List<String> lines = Files.readAllLines(file);
    assertThat(lines).hasSize(2);
    ObjectMapper json = new ObjectMapper();
    assertThat(json.readTree(lines.get(1)).get("n").asInt()).isEqualTo(2);
    assertThat(published).hasSize(2);
    assertThat(published.get(0)).startsWith("worker1 {\"type\":\"change\"");
  }

  @Test
  void rotatesAtTheSizeLimitKeepingKFilesAndNeverSplitsARecord(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("audit.log");
    try (AuditLog log = new AuditLog(file, 2048, 2, (n, l) -> {})) {
      for (int i = 0; i < 100; i++) {
        log.record("w", record(i));
      }
    }
    assertThat(file).exists();
    assertThat(log(dir, 1)).exists();
    assertThat(log(dir, 2)).exists();
    assertThat(log(dir, 3)).doesNotExist();
    ObjectMapper json = new ObjectMapper();
    List<Integer> seen = new ArrayList<>();
    for (Path p : List.of(log(dir, 2), log(dir, 1), file)) {
      assertThat(Files.size(p)).isLessThanOrEqualTo(2048);
      for (String l : Files.readAllLines(p)) {
        seen.add(json.readTree(l).get("n").asInt());
      }
    }
    // The newest records, in order, each whole; the oldest were dropped with the oldest file.
    assertThat(seen).isSorted().endsWith(99);
    assertThat(seen.get(0)).isGreaterThan(0);
  }

  private static Path log(Path dir, int n) {
    return dir.resolve("audit.log." + n);
  }
}
