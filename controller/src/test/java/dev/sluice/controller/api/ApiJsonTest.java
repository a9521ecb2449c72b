package dev.sluice.controller.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

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

  // ------------------------------------------------------------- every answer of the route table

  private static final FlowOrigin POD_ORIGIN =
      new FlowOrigin("pod", "Pod", "default", "frontend", null, null, "Pod default/frontend");
  private static final FlowOrigin RULE_ORIGIN =
      new FlowOrigin(
          "policy",
          "NetworkPolicy",
          "default",
          "p",
          new OriginRule("ingress", 0, 7, "pg-1", List.of("from", "services")),
          "from",
          "NetworkPolicy default/p ingress rule 0 (conj_id 7) clause from");

  private static TraceView trace(String view) {
    return new TraceView(
        "worker1",
        view,
        "in_port=1,tcp",
        List.of(
            new TraceStep(
                0, 0, 100, "in_port=1", "goto_table:10", "0x1", 0, "", "Pod", List.of(POD_ORIGIN)),
            new TraceStep(0, 10, 0, "", "drop", "", 0, "miss", "(table miss)", List.of())),
        List.of(0, 10),
        List.of(),
        List.of(),
        "drop",
        "drop",
        "packet: ...\n");
  }

  private static AuditResult auditResult() {
    DriftReport r =
        new DriftReport(
            3,
            4,
            1,
            1,
            0,
            List.of(
                new FlowDrift(
                    "missing",
                    "not installed",
                    "table=0,...",
                    null,
                    null,
                    0,
                    "0x1",
                    true,
                    List.of(POD_ORIGIN)),
                new FlowDrift(
                    "modified",
                    "actions differ",
                    "table=10,...",
                    "a",
                    "b",
                    10,
                    "0x2",
                    true,
                    List.of(RULE_ORIGIN))),
            List.of(new GroupDriftEntry("missing", 5, "group_id=5,...", null)));
    return AuditResult.of(
        "worker1", "0000000000000001", "br-int", "2026-12-08T00:00:00Z", false, 0, 12, r);
  }

  private static AuditSkipped auditSkipped() {
    return new AuditSkipped(
        "worker2",
        "0000000000000002",
        "br-int",
        "2026-12-08T00:00:00Z",
        "skipped",
        "not connected");
  }

  /** One value of every answer record (and the trace request), as the server writes them. */
  static Stream<Object> answers() {
    return Stream.of(
        node(),
        new RealizationView(Map.of(), Map.of(), List.of(), null),
        new SwitchView(
            "0000000000000001",
            "127.0.0.1:40000",
            Map.of("antrea-tun0", 1L),
            "worker1",
            new SwitchStatus(
                "worker1",
                "0000000000000001",
                "br-int",
                "127.0.0.1:40000",
                "IDLE",
                40,
                40,
                3,
                3,
                2,
                80,
                0,
                null,
                "2026-12-08T00:00:00Z",
                5)),
        new SwitchView("0000000000000009", "127.0.0.1:40001", Map.of(), null, null),
        new FlowsView(
            "worker1",
            "desired",
            1,
            40,
            List.of("table=0,priority=100,in_port=1,actions=goto_table:10"),
            List.of(new FlowEntry(0, 100, "0x1", "table=0,...", List.of(POD_ORIGIN, RULE_ORIGIN)))),
        new AuditRun(false, false, List.of(auditResult(), auditSkipped())),
        new LastAudits(List.of(auditSkipped())),
        new TraceRequest("worker1", "in_port=1,tcp", List.of("trk,new"), "desired"),
        new TraceRequest("worker1", "in_port=1,tcp", null, null),
        trace("installed"),
        new PolicyWhyView(
            "default/a",
            "default/b",
            80,
            "TCP",
            false,
            List.of(),
            List.of("default/p"),
            null,
            null,
            List.of("denied"),
            "dropped",
            List.of(trace(null))),
        new ErrorsView(List.of(new ControllerError("2026-12-08T00:00:00Z", "switch", "rejected"))));
  }

  @ParameterizedTest
  @MethodSource("answers")
  void everyAnswerReadsBackAsTheRecordTheServerWrote(Object value) throws Exception {
    String json = ApiJson.pretty(value);
    assertThat(ApiJson.read(json, value.getClass())).isEqualTo(value);
    // The reader writes it again byte for byte: what --json prints is what the server sent.
    assertThat(ApiJson.pretty(ApiJson.read(json, value.getClass()))).isEqualTo(json);
  }

  @ParameterizedTest
  @MethodSource("answers")
  void everyAnswerFailsOnAMisspeltFieldNamingIt(Object value) throws Exception {
    JsonNode tree = ApiJson.mapper().readTree(ApiJson.pretty(value));
    String first = tree.fieldNames().next();
    String misspelt = ApiJson.pretty(value).replaceFirst("\"" + first + "\"", "\"" + first + "x\"");
    assertThatThrownBy(() -> ApiJson.read(misspelt, value.getClass())).hasMessageContaining(first);
  }

  @Test
  void anAuditIsToldApartByItsFieldsAndKeepsTheWireShape() throws Exception {
    String json =
        ApiJson.pretty(new AuditRun(false, false, List.of(auditResult(), auditSkipped())));
    JsonNode t = ApiJson.mapper().readTree(json);
    JsonNode done = t.get("switches").get(0);
    JsonNode skipped = t.get("switches").get(1);
    // The fields lab scripts and ITs read, where they read them.
    assertThat(done.get("status").asText()).isEqualTo("drift");
    assertThat(done.get("missing").asInt()).isEqualTo(1);
    assertThat(done.get("drifts").get(0).has("want")).isFalse();
    assertThat(done.get("drifts").get(1).get("want").asText()).isEqualTo("a");
    assertThat(
            done.get("drifts").get(1).get("origins").get(0).get("rule").get("direction").asText())
        .isEqualTo("ingress");
    assertThat(done.get("drifts").get(0).get("origins").get(0).has("rule")).isFalse();
    assertThat(done.get("groupDrifts").get(0).has("have")).isFalse();
    assertThat(skipped.has("repaired")).isFalse();
    assertThat(skipped.get("skipped").asText()).isEqualTo("not connected");
    AuditRun back = ApiJson.read(json, AuditRun.class);
    assertThat(back.switches().get(0)).isInstanceOf(AuditResult.class);
    assertThat(back.switches().get(1)).isInstanceOf(AuditSkipped.class);
    assertThat(back.switches()).extracting(SwitchAudit::drift).containsExactly(true, false);
    assertThat(((AuditResult) back.switches().get(0)).report().missing()).isEqualTo(1);
  }

  @Test
  void aMissingFieldOfANestedRecordIsNamed() {
    String json =
        ApiJson.pretty(new AuditRun(false, false, List.of(auditResult())))
            .replace("\"ours\" : true,", "");
    assertThatThrownBy(() -> ApiJson.read(json, AuditRun.class)).hasMessageContaining("ours");
    String noText =
        ApiJson.pretty(trace("desired"))
            .replace("\"text\" : \"Pod default/frontend\"", "\"txt\" : \"\"");
    // Named with the path to it: the missing one is reported first.
    assertThatThrownBy(() -> ApiJson.read(noText, TraceView.class))
        .hasMessageContaining("'text'")
        .hasMessageContaining("FlowOrigin[\"text\"]");
  }

  @Test
  void optionalFieldsAreLeftOutWhenNull() {
    assertThat(ApiJson.pretty(trace(null))).doesNotContain("\"view\"");
    assertThat(ApiJson.pretty(new TraceRequest("n", "m", null, null)))
        .doesNotContain("ctNext")
        .doesNotContain("view");
    // A nullable field that is not optional is written as null (the lab reads it).
    assertThat(ApiJson.pretty(new SwitchView("1", "a", Map.of(), null, null)))
        .contains("\"node\" : null");
  }
}
