package dev.sluice.compiler.compile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.compiler.cluster.ClusterState;
import dev.sluice.compiler.cluster.ManifestReader;
import dev.sluice.compiler.flow.Flow;
import dev.sluice.compiler.flow.FlowText;
import dev.sluice.compiler.flow.PortNames;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Upstream NetworkPolicy semantics, table-driven: a small cluster (node n1 with pods a=10.1.1.10
 * port 3 and b=10.1.1.11 port 4 in namespace ns1; pod c=10.1.2.12 on n2 in ns2) plus one policy;
 * the expected flows of n1's tables 50, 60, 90 and 100 (without the skeleton flows) as ovs-ofctl
 * strings, compared as sets after renumbering conj_ids by what they match.
 */
class NetworkPolicyCompilerTest {

  static final String CLUSTER =
      """
      apiVersion: v1
      kind: Node
      metadata: {name: n1}
      spec: {podCIDR: 10.1.1.0/24}
      status: {addresses: [{type: InternalIP, address: 192.168.0.1}]}
      ---
      apiVersion: v1
      kind: Node
      metadata: {name: n2}
      spec: {podCIDR: 10.1.2.0/24}
      status: {addresses: [{type: InternalIP, address: 192.168.0.2}]}
      ---
      apiVersion: v1
      kind: Namespace
      metadata: {name: ns1, labels: {env: prod}}
      ---
      apiVersion: v1
      kind: Namespace
      metadata: {name: ns2, labels: {env: dev}}
      ---
      apiVersion: v1
      kind: Pod
      metadata: {name: a, namespace: ns1, labels: {app: web}}
      spec:
        nodeName: n1
        containers: [{name: c, ports: [{name: http, containerPort: 80}]}]
      status: {phase: Running, podIP: 10.1.1.10}
      ---
      apiVersion: v1
      kind: Pod
      metadata: {name: b, namespace: ns1, labels: {app: db}}
      spec:
        nodeName: n1
        containers: [{name: c, ports: [{name: http, containerPort: 8080}]}]
      status: {phase: Running, podIP: 10.1.1.11}
      ---
      apiVersion: v1
      kind: Pod
      metadata: {name: c, namespace: ns2, labels: {app: web}}
      spec:
        nodeName: n2
        containers: [{name: c, ports: [{name: http, containerPort: 9000}]}]
      status: {phase: Running, podIP: 10.1.2.12}
      """;

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of(
            "policyTypes absent, ingress rules only: ingress isolation only; absent from = all,"
                + " absent ports = no services clause",
            """
            podSelector: {matchLabels: {app: web}}
            ingress: [{}]
            """,
            List.of(
                "table=90, priority=200,ip actions=conjunction(1,1/2)",
                "table=90, priority=200,ip,reg1=0x3 actions=conjunction(1,2/2)",
                "table=90, priority=190,conj_id=1,ip actions=load:0x1->NXM_NX_REG6[],resubmit(,105)",
                "table=100, priority=200,ip,reg1=0x3 actions=drop")),
        Arguments.of(
            "ingress: [] with policyTypes [Ingress]: deny-all rule without a peer clause",
            """
            podSelector: {}
            policyTypes: [Ingress]
            ingress: []
            """,
            List.of(
                "table=90, priority=200,ip,reg1=0x3 actions=conjunction(1,2/2)",
                "table=90, priority=200,ip,reg1=0x4 actions=conjunction(1,2/2)",
                "table=90, priority=190,conj_id=1,ip actions=load:0x1->NXM_NX_REG6[],resubmit(,105)",
                "table=100, priority=200,ip,reg1=0x3 actions=drop",
                "table=100, priority=200,ip,reg1=0x4 actions=drop")),
        Arguments.of(
            "policyTypes absent with egress rules: both directions isolated; ipBlock except is a"
                + " CIDR difference; endPort a value/mask range",
            """
            podSelector: {matchLabels: {app: db}}
            egress:
            - to: [{ipBlock: {cidr: 10.0.0.0/8, except: [10.1.0.0/16]}}]
              ports: [{protocol: TCP, port: 1024, endPort: 2047}]
            """,
            List.of(
                "table=50, priority=200,ip,nw_src=10.1.1.11 actions=conjunction(1,1/3)",
                "table=50, priority=200,ip,nw_dst=10.0.0.0/16 actions=conjunction(1,2/3)",
                "table=50, priority=200,ip,nw_dst=10.2.0.0/15 actions=conjunction(1,2/3)",
                "table=50, priority=200,ip,nw_dst=10.4.0.0/14 actions=conjunction(1,2/3)",
                "table=50, priority=200,ip,nw_dst=10.8.0.0/13 actions=conjunction(1,2/3)",
                "table=50, priority=200,ip,nw_dst=10.16.0.0/12 actions=conjunction(1,2/3)",
                "table=50, priority=200,ip,nw_dst=10.32.0.0/11 actions=conjunction(1,2/3)",
                "table=50, priority=200,ip,nw_dst=10.64.0.0/10 actions=conjunction(1,2/3)",
                "table=50, priority=200,ip,nw_dst=10.128.0.0/9 actions=conjunction(1,2/3)",
                "table=50, priority=200,tcp,tp_dst=0x400/0xfc00 actions=conjunction(1,3/3)",
                "table=50, priority=190,conj_id=1,ip actions=load:0x1->NXM_NX_REG5[],resubmit(,70)",
                "table=60, priority=200,ip,nw_src=10.1.1.11 actions=drop",
                // Ingress is implied and has no rules: deny-all.
                "table=90, priority=200,ip,reg1=0x4 actions=conjunction(2,2/2)",
                "table=90, priority=190,conj_id=2,ip actions=load:0x2->NXM_NX_REG6[],resubmit(,105)",
                "table=100, priority=200,ip,reg1=0x4 actions=drop")),
        Arguments.of(
            "podSelector and namespaceSelector in one peer (AND) vs in two peers (OR)",
            """
            podSelector: {matchLabels: {app: db}}
            policyTypes: [Ingress]
            ingress:
            - from: [{podSelector: {matchLabels: {app: web}}, namespaceSelector: {matchLabels: {env: dev}}}]
            - from: [{podSelector: {matchLabels: {app: web}}}, {namespaceSelector: {matchLabels: {env: dev}}}]
            """,
            List.of(
                "table=90, priority=200,ip,nw_src=10.1.2.12 actions=conjunction(1,1/2),conjunction(2,1/2)",
                "table=90, priority=200,ip,nw_src=10.1.1.10 actions=conjunction(2,1/2)",
                "table=90, priority=200,ip,reg1=0x4 actions=conjunction(1,2/2),conjunction(2,2/2)",
                "table=90, priority=190,conj_id=1,ip actions=load:0x1->NXM_NX_REG6[],resubmit(,105)",
                "table=90, priority=190,conj_id=2,ip actions=load:0x2->NXM_NX_REG6[],resubmit(,105)",
                "table=100, priority=200,ip,reg1=0x4 actions=drop")),
        Arguments.of(
            "ingress named port resolved per target pod: one conj_id per resolved port",
            """
            podSelector: {}
            ingress: [{ports: [{port: http}]}]
            """,
            List.of(
                "table=90, priority=200,ip actions=conjunction(1,1/3),conjunction(2,1/3)",
                "table=90, priority=200,ip,reg1=0x3 actions=conjunction(1,2/3)",
                "table=90, priority=200,ip,reg1=0x4 actions=conjunction(2,2/3)",
                "table=90, priority=200,tcp,tp_dst=80 actions=conjunction(1,3/3)",
                "table=90, priority=200,tcp,tp_dst=8080 actions=conjunction(2,3/3)",
                "table=90, priority=190,conj_id=1,ip actions=load:0x1->NXM_NX_REG6[],resubmit(,105)",
                "table=90, priority=190,conj_id=2,ip actions=load:0x2->NXM_NX_REG6[],resubmit(,105)",
                "table=100, priority=200,ip,reg1=0x3 actions=drop",
                "table=100, priority=200,ip,reg1=0x4 actions=drop")),
        Arguments.of(
            "egress named port resolved per destination pod; matchExpressions NotIn",
            """
            podSelector: {matchExpressions: [{key: app, operator: NotIn, values: [web]}]}
            policyTypes: [Egress]
            egress:
            - to: [{namespaceSelector: {}}]
              ports: [{port: http}, {protocol: UDP, port: 53}]
            """,
            List.of(
                "table=50, priority=200,ip,nw_src=10.1.1.11 actions=conjunction(1,1/3),conjunction(2,1/3),conjunction(3,1/3)",
                "table=50, priority=200,ip,nw_dst=10.1.1.10 actions=conjunction(1,2/3)",
                "table=50, priority=200,ip,nw_dst=10.1.1.11 actions=conjunction(2,2/3)",
                "table=50, priority=200,ip,nw_dst=10.1.2.12 actions=conjunction(3,2/3)",
                "table=50, priority=200,tcp,tp_dst=80 actions=conjunction(1,3/3)",
                "table=50, priority=200,tcp,tp_dst=8080 actions=conjunction(2,3/3)",
                "table=50, priority=200,tcp,tp_dst=9000 actions=conjunction(3,3/3)",
                "table=50, priority=200,udp,tp_dst=53 actions=conjunction(1,3/3),conjunction(2,3/3),conjunction(3,3/3)",
                "table=50, priority=190,conj_id=1,ip actions=load:0x1->NXM_NX_REG5[],resubmit(,70)",
                "table=50, priority=190,conj_id=2,ip actions=load:0x2->NXM_NX_REG5[],resubmit(,70)",
                "table=50, priority=190,conj_id=3,ip actions=load:0x3->NXM_NX_REG5[],resubmit(,70)",
                "table=60, priority=200,ip,nw_src=10.1.1.11 actions=drop")),
        Arguments.of(
            "a policy whose pods are all on another node compiles nothing here",
            """
            podSelector: {}
            policyTypes: [Ingress, Egress]
            """,
            List.of()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void compilesUpstreamSemantics(String name, String spec, List<String> expected) {
    String ns = expected.isEmpty() ? "ns2" : "ns1";
    String policy =
        "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p, namespace: "
            + ns
            + "}\nspec:\n"
            + spec.indent(2);
    ManifestReader.Manifests m =
        new ManifestReader().readString(CLUSTER + "---\n" + policy, "test");
    assertThat(m.errors()).isEmpty();
    ClusterState.ApplyResult r = ClusterState.empty().applyManifests(m);
    assertThat(r.rejections()).isEmpty();
    CompiledCluster c = CompiledCluster.compileAll(r.state());
    Set<Integer> tables = Set.of(50, 60, 90, 100);
    List<Flow> got =
        c.flows("n1").flows().stream()
            .filter(f -> tables.contains(f.table()) && f.priority() > 0 && f.priority() < 210)
            .toList();
    List<Flow> want =
        expected.stream()
            .map(s -> FlowText.parse("cookie=0x1050000000000, " + s, PortNames.NONE))
            .toList();
    assertThat(text(ConjCanonicalizer.canonical(got), true))
        .as(name)
        .containsExactlyInAnyOrderElementsOf(text(ConjCanonicalizer.canonical(want), true));
  }

  private static List<String> text(List<Flow> flows, boolean dropCookie) {
    return flows.stream()
        .map(f -> dropCookie ? f.withCookie(0) : f)
        .map(f -> FlowText.formatForAdd(f, PortNames.NONE, FlowText.Style.OPENFLOW10))
        .toList();
  }
}
