package dev.sluice.controller.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApiJsonTest {
  private static NodeView node() {
    return new NodeView(
        "worker1",
        true,
        "0000000000000001",
        12,
        null,
        false,
        "IDLE",
        3,
        1,
        0,
        Map.of("sluice.pods-0", 4L),
        Map.of("sluice.pods-0", 4L),
        0,
        Map.of());
  }

  @Test
  void aRecordReadsBackFromWhatTheServerWrites() throws Exception {
    String json = ApiJson.pretty(node());
    assertThat(ApiJson.read(json, NodeView.class)).isEqualTo(node());
    // Nulls are written (the lab and --json show "flowsInstalled" : null), fields in order.
    assertThat(json).contains("\"flowsInstalled\" : null");
    assertThat(json.indexOf("\"name\"")).isLessThan(json.indexOf("\"lag\""));
  }

  @Test
  void aRenamedFieldFailsLoudlyInsteadOfReadingZero() {
    String renamed = ApiJson.pretty(node()).replace("\"flowsDesired\"", "\"flowsWanted\"");
    // The record's field is missing (the renamed one would be unknown): either way, named.
    assertThatThrownBy(() -> ApiJson.read(renamed, NodeView.class))
        .hasMessageContaining("flowsDesired");
    String extra = ApiJson.pretty(node()).replace("\"name\"", "\"nodeName\" : \"x\", \"name\"");
    assertThatThrownBy(() -> ApiJson.read(extra, NodeView.class)).hasMessageContaining("nodeName");
    String missing = ApiJson.pretty(node()).replace("\"pendingEvents\" : 0,", "");
    assertThatThrownBy(() -> ApiJson.read(missing, NodeView.class))
        .hasMessageContaining("pendingEvents");
  }

  @Test
  void onlyAFieldLeftOutWhenNullMayBeMissing() throws Exception {
    RealizationView none = new RealizationView(Map.of(), Map.of(), List.of(), null);
    String json = ApiJson.pretty(none);
    assertThat(json).doesNotContain("positions");
    assertThat(ApiJson.read(json, RealizationView.class)).isEqualTo(none);
  }

  @Test
  void positionsAreToldApartByTheirFields() throws Exception {
    RealizationView v =
        new RealizationView(
            Map.of("sluice.pods-0", 7L),
            Map.of("worker1", Map.of("sluice.pods-0", 7L)),
            List.of(new PolicyRealization("default/p", 1, List.of("worker1"), 1, 2)),
            List.of(
                new PositionError("x", "expected topic-partition@offset"),
                new PositionRealization(
                    "sluice.pods-0@7",
                    true,
                    null,
                    List.of("worker1"),
                    List.of(),
                    List.of("worker2"),
                    true)));
    String json = ApiJson.pretty(v);
    // The server writes no type name, and an error carries only position and error.
    assertThat(json).doesNotContain("@type").doesNotContain("\"realized\" : false");
    assertThat(json).contains("\"affectedNodes\" : null");
    RealizationView back = ApiJson.read(json, RealizationView.class);
    assertThat(back).isEqualTo(v);
    assertThat(back.positions().get(0).realized()).isFalse();
    assertThat(back.positions().get(1).realized()).isTrue();
  }
}
