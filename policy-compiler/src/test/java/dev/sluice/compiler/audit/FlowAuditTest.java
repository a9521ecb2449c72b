package dev.sluice.compiler.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.compiler.cluster.ClusterState;
import dev.sluice.compiler.cluster.ManifestReader;
import dev.sluice.compiler.compile.CompiledCluster;
import dev.sluice.compiler.flow.Flow;
import dev.sluice.compiler.flow.FlowText;
import dev.sluice.compiler.flow.PortNames;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FlowAuditTest {
  private static CompiledCluster packetWalk() {
    ManifestReader.Manifests m =
        new ManifestReader().read(Path.of("../deploy/examples/packet-walk/manifests"));
    return CompiledCluster.compileAll(ClusterState.empty().applyManifests(m).state());
  }

  @Test
  void identicalTablesAreClean() {
    CompiledCluster c = packetWalk();
    List<Flow> flows = c.flows("worker1").flows();
    AuditReport r = FlowAudit.audit(flows, flows, c.provenance());
    assertThat(r.isClean()).isTrue();
    assertThat(r.format(PortNames.NONE)).startsWith(flows.size() + " flows installed");
  }

  @Test
  void classifiesTamperingWithProvenance() {
    CompiledCluster c = packetWalk();
    List<Flow> desired = c.flows("worker1").flows();
    List<Flow> installed = new ArrayList<>(desired);
    // a foreign flow, one of ours deleted, one of ours with other actions, a clause flow deleted
    installed.add(FlowText.parse("table=50,priority=300,ip actions=drop", PortNames.NONE));
    Flow deleted =
        desired.stream()
            .filter(f -> f.table() == 70 && f.priority() == 200)
            .findFirst()
            .orElseThrow();
    installed.remove(deleted);
    Flow changed =
        desired.stream()
            .filter(f -> f.table() == 60 && f.priority() == 200)
            .findFirst()
            .orElseThrow();
    installed.set(
        installed.indexOf(changed),
        changed
            .withActions(List.of())
            .withActions(FlowText.parseActions("resubmit(,70)", PortNames.NONE)));
    Flow clause =
        desired.stream()
            .filter(
                f ->
                    f.table() == 50
                        && !f.actions().isEmpty()
                        && f.actions().get(0)
                            instanceof dev.sluice.compiler.flow.Action.Conjunction)
            .findFirst()
            .orElseThrow();
    installed.remove(clause);

    AuditReport r = FlowAudit.audit(installed, desired, c.provenance());
    assertThat(r.of(Drift.Kind.MISSING))
        .extracting(Drift::desired)
        .containsExactlyInAnyOrder(deleted, clause);
    assertThat(r.of(Drift.Kind.MODIFIED))
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.desired()).isEqualTo(changed);
              assertThat(d.reason()).contains("actions");
            });
    assertThat(r.of(Drift.Kind.EXTRANEOUS))
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.reason()).contains("not Sluice's");
              assertThat(d.origins()).isEmpty();
            });
    Drift missingClause =
        r.of(Drift.Kind.MISSING).stream()
            .filter(d -> d.desired().equals(clause))
            .findFirst()
            .orElseThrow();
    assertThat(missingClause.origins()).isNotEmpty();
    assertThat(missingClause.format(PortNames.NONE)).contains("NetworkPolicy");
  }

  @Test
  void ownershipIsReadFromTheCookie() {
    assertThat(FlowAudit.isOurs(0x1030000000000L)).isTrue();
    assertThat(FlowAudit.isOurs(0)).isFalse();
    assertThat(FlowAudit.isOurs(0x1234)).isFalse();
  }
}
