package dev.sluice.compiler.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.compiler.cluster.ClusterState;
import dev.sluice.compiler.cluster.ManifestReader;
import dev.sluice.compiler.compile.CompiledCluster;
import dev.sluice.compiler.flow.Action;
import dev.sluice.compiler.flow.Flow;
import dev.sluice.compiler.flow.FlowText;
import dev.sluice.compiler.flow.Group;
import dev.sluice.compiler.flow.MatchField;
import dev.sluice.compiler.flow.PortNames;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class AttributionTest {
  private static final CompiledCluster PACKET_WALK =
      CompiledCluster.compileAll(
          ClusterState.empty()
              .applyManifests(
                  new ManifestReader().read(Path.of("../deploy/examples/packet-walk/manifests")))
              .state());

  @Test
  void clauseFlowsNameTheirClauseAndConjIdFlowsTheAction() {
    List<Flow> flows = PACKET_WALK.flows("worker1").flows();
    Flow clause =
        flows.stream()
            .filter(f -> f.table() == 50)
            .filter(f -> f.actions().stream().anyMatch(a -> a instanceof Action.Conjunction))
            .findFirst()
            .orElseThrow();
    List<Attribution> a = Attribution.of(clause, PACKET_WALK.provenance());
    assertThat(a).isNotEmpty();
    assertThat(a)
        .allSatisfy(
            x -> {
              assertThat(x.origin().kindText()).isEqualTo("NetworkPolicy");
              assertThat(x.clause()).isIn("from", "to", "services");
              assertThat(x.describe()).contains("egress rule ").contains(" clause ");
            });

    Flow action =
        flows.stream()
            .filter(f -> f.table() == 50 && f.match().has(MatchField.CONJ_ID))
            .findFirst()
            .orElseThrow();
    assertThat(Attribution.of(action, PACKET_WALK.provenance()))
        .singleElement()
        .satisfies(
            x -> {
              assertThat(x.clause()).isEqualTo("action");
              assertThat(x.describe())
                  .matches(
                      "NetworkPolicy default/frontendpolicy egress rule \\d+ conj_id=\\d+ \\(conjunction action\\)");
            });
  }

  @Test
  void aSharedClauseFlowNamesEveryRuleItServes() {
    // worker1 table 50: ip,nw_src=10.222.1.48 carries the from-clause of both frontendpolicy
    // egress rules.
    Flow shared =
        PACKET_WALK.flows("worker1").flows().stream()
            .filter(f -> f.table() == 50)
            .filter(
                f -> f.actions().stream().filter(a -> a instanceof Action.Conjunction).count() == 2)
            .findFirst()
            .orElseThrow();
    List<Attribution> a = Attribution.of(shared, PACKET_WALK.provenance());
    assertThat(a).hasSize(2);
    assertThat(a)
        .extracting(Attribution::describe)
        .anySatisfy(
            d -> assertThat(d).contains("frontendpolicy egress rule 0").contains("clause from"))
        .anySatisfy(
            d -> assertThat(d).contains("frontendpolicy egress rule 1").contains("clause from"));
  }

  @Test
  void podFlowsNameThePodAndForeignFlowsNothing() {
    Flow pod =
        PACKET_WALK.flows("worker1").flows().stream()
            .filter(f -> f.table() == 10)
            .filter(
                f ->
                    PACKET_WALK.provenance().origins(f.cookie()).stream()
                        .anyMatch(o -> o.kindText().equals("Pod")))
            .findFirst()
            .orElseThrow();
    assertThat(Attribution.of(pod, PACKET_WALK.provenance()))
        .extracting(Attribution::describe)
        .anyMatch(s -> s.startsWith("Pod default/") && s.endsWith("(pod)"));
    Flow foreign = FlowText.parse("table=50,priority=300,ip actions=drop", PortNames.NONE);
    assertThat(Attribution.of(foreign, PACKET_WALK.provenance())).isEmpty();
  }

  @Test
  void groupsAreComparedByIdTypeAndBuckets() {
    Group a = FlowText.parseGroup("group_id=1,type=select,bucket=actions=output:3", PortNames.NONE);
    Group a2 =
        FlowText.parseGroup("group_id=1,type=select,bucket=actions=output:4", PortNames.NONE);
    Group b = FlowText.parseGroup("group_id=2,type=all,bucket=actions=output:3", PortNames.NONE);
    Group c = FlowText.parseGroup("group_id=3,type=all,bucket=actions=output:3", PortNames.NONE);
    List<GroupDrift> d = GroupDrift.between(List.of(a2, c), List.of(a, b));
    assertThat(d)
        .extracting(GroupDrift::kind, GroupDrift::groupId)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple(Drift.Kind.MODIFIED, 1L),
            org.assertj.core.groups.Tuple.tuple(Drift.Kind.MISSING, 2L),
            org.assertj.core.groups.Tuple.tuple(Drift.Kind.EXTRANEOUS, 3L));
    AuditReport r =
        FlowAudit.audit(
            List.of(), List.of(a2, c), List.of(), List.of(a, b), PACKET_WALK.provenance());
    assertThat(r.isClean()).isFalse();
    assertThat(r.count(Drift.Kind.MISSING)).isEqualTo(1);
    assertThat(r.format(PortNames.NONE)).contains("group modified").contains("want: group_id=1");
  }
}
