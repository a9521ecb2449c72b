package dev.sluice.compiler.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.compiler.cluster.ClusterState.ApplyResult;
import dev.sluice.compiler.cluster.EndpointsInfo.Endpoint;
import dev.sluice.compiler.cluster.ManifestError.Severity;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ClusterStateTest {

  private static final Path PACKET_WALK =
      Path.of("..", "deploy", "examples", "packet-walk", "manifests");
  private final ManifestReader reader = new ManifestReader();

  private ApplyResult load(Path path) {
    return ClusterState.empty().applyManifests(reader.read(path));
  }

  private ApplyResult apply(ClusterState state, String yaml) {
    return state.applyManifests(reader.readString(yaml, "test.yaml"));
  }

  private ClusterState packetWalk() {
    ApplyResult r = load(PACKET_WALK);
    assertThat(r.errors()).isEmpty();
    return r.state();
  }

  @Test
  void packetWalkExampleLoadsCleanlyWithTheSeedsValues() {
    ClusterState s = packetWalk();

    assertThat(s.unresolvedReferences()).isEmpty();
    assertThat(s.nodes())
        .extracting(NodeInfo::name)
        .containsExactly("master", "worker1", "worker2");
    NodeInfo w1 = s.node("worker1").orElseThrow();
    assertThat(w1.gatewayMac()).hasToString("4e:99:08:c1:53:be");
    assertThat(w1.gatewayIp()).hasToString("10.222.1.1");
    assertThat(w1.internalIp()).hasToString("10.79.1.201");
    assertThat(s.node("master").orElseThrow().gatewayMac()).hasToString("0a:58:0a:de:00:01");
    assertThat(s.podsOnNode("worker1"))
        .extracting(p -> p.interfaceName() + " " + p.ip() + " " + p.mac())
        .containsExactlyInAnyOrder(
            "coredns--3e3abf 10.222.1.2 f2:82:cc:96:da:bd",
            "antrea-o-830766 10.222.1.3 6e:9e:5a:3e:3f:e8",
            "backend1-bab86f 10.222.1.47 f2:32:d8:07:e2:a6",
            "frontend-a3ba2f 10.222.1.48 be:2c:bf:e4:ec:c5");
    assertThat(s.podsOnNode("worker2"))
        .extracting(PodInfo::interfaceName)
        .containsExactlyInAnyOrder("coredns--d8f62c", "backend2-202ff6");
    assertThat(s.endpoints("default", "backendsvc").orElseThrow().endpoints())
        .extracting(e -> e.ip() + ":" + e.port())
        .containsExactly("10.222.1.47:80", "10.222.2.34:80");
    NetworkPolicyInfo backend = s.networkPolicy("default", "backendpolicy").orElseThrow();
    assertThat(backend.policyTypes())
        .containsExactlyInAnyOrder(
            NetworkPolicyInfo.PolicyType.INGRESS, NetworkPolicyInfo.PolicyType.EGRESS);
    assertThat(backend.egress()).isEmpty();
    assertThat(s.namespace("kube-system").labels())
        .containsEntry("kubernetes.io/metadata.name", "kube-system");
  }

  @Test
  void kubectlFixturesBuildAState() {
    ApplyResult r = load(ManifestReaderTest.resource("kubectl"));

    ClusterState s = r.state();
    NodeInfo w2 = s.node("worker2").orElseThrow();
    assertThat(w2.podCidr()).hasToString("10.222.2.0/24"); // first IPv4 of podCIDRs
    assertThat(w2.internalIp()).hasToString("10.79.1.202"); // IPv6 InternalIP skipped
    assertThat(w2.gatewayMac()).hasToString("02:d8:4e:3f:92:1d");
    assertThat(w2.datapathId()).isEqualTo(OptionalLong.of(0xb2));
    PodInfo fe = s.pod("default", "frontend").orElseThrow();
    assertThat(fe.mac()).hasToString("0a:58:0a:de:01:30");
    assertThat(fe.interfaceName()).isEqualTo("frontend-d52251");
    assertThat(fe.resolveNamedPort("web", Protocol.TCP)).contains(8080);
    // Slices win over the Endpoints object; not-ready endpoints dropped; nil ready = ready.
    assertThat(s.endpoints("default", "backendsvc").orElseThrow().endpoints())
        .containsExactly(
            new Endpoint(
                Ipv4.parse("10.222.1.47"), "http", 80, Protocol.TCP, Optional.of("worker1")),
            new Endpoint(
                Ipv4.parse("10.222.1.50"), "http", 80, Protocol.TCP, Optional.of("worker1")));
    assertThat(r.errors())
        .extracting(ManifestError::kind, ManifestError::severity)
        .contains(org.assertj.core.groups.Tuple.tuple("Deployment", Severity.ERROR));
  }

  @Test
  void endpointsObjectIsUsedWhenNoSliceExists() {
    ApplyResult r = load(ManifestReaderTest.resource("kubectl/backendsvc.json"));

    assertThat(r.state().endpoints("default", "backendsvc").orElseThrow().endpoints())
        .extracting(e -> e.ip() + ":" + e.portName() + "/" + e.port())
        .containsExactly(
            "10.222.1.47:ssh/22",
            "10.222.1.47:http/80",
            "10.222.2.34:ssh/22",
            "10.222.2.34:http/80");
    ServiceInfo svc = r.state().service("default", "backendsvc").orElseThrow();
    assertThat(svc.ports().get(0).targetPort()).isEqualTo(PortRef.named("http"));
    assertThat(svc.ports().get(1).targetPort()).isEqualTo(PortRef.of(22));
  }

  // ---- validation: each error names object and field ----

  private static ManifestError single(ApplyResult r) {
    assertThat(r.errors()).hasSize(1);
    return r.errors().get(0);
  }

  @Test
  void badNodeCidrIsRejectedNamingNodeAndField() {
    ManifestError e =
        single(
            apply(
                ClusterState.empty(),
                """
            apiVersion: v1
            kind: Node
            metadata: {name: worker9}
            spec: {podCIDR: 10.222.9.0/33}
            status: {addresses: [{type: InternalIP, address: 10.79.1.209}]}
            """));

    assertThat(e.severity()).isEqualTo(Severity.ERROR);
    assertThat(e.toString())
        .isEqualTo(
            "test.yaml#0: Node worker9: spec.podCIDR: '10.222.9.0/33' has a prefix length above 32");
  }

  @Test
  void badIpBlockCidrAndExceptAreRejectedNamingTheField() {
    String policy =
        """
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: p, namespace: default}
        spec:
          podSelector: {}
          egress:
          - to:
            - ipBlock: {cidr: %s, except: [%s]}
        """;
    ManifestError bad =
        single(apply(ClusterState.empty(), policy.formatted("10.0.0.0/8x", "10.1.0.0/16")));
    assertThat(bad.objectName()).isEqualTo("NetworkPolicy default/p");
    assertThat(bad.field()).isEqualTo("spec.egress[0].to[0].ipBlock.cidr");

    ManifestError outside =
        single(apply(ClusterState.empty(), policy.formatted("10.0.0.0/8", "11.0.0.0/16")));
    assertThat(outside.field()).isEqualTo("spec.egress[0].to[0].ipBlock.except[0]");
    assertThat(outside.message()).contains("not a strict subset");
  }

  @Test
  void unknownSelectorOperatorIsRejectedNamingTheField() {
    ManifestError e =
        single(
            apply(
                ClusterState.empty(),
                """
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: p, namespace: default}
        spec:
          podSelector: {}
          ingress:
          - from:
            - namespaceSelector:
                matchExpressions: [{key: team, operator: Matches, values: [x]}]
        """));

    assertThat(e.field())
        .isEqualTo("spec.ingress[0].from[0].namespaceSelector.matchExpressions[0].operator");
    assertThat(e.message()).contains("unknown operator 'Matches'");
  }

  @Test
  void duplicatePodIpRejectsTheLaterPodAndKeepsTheEarlier() {
    ClusterState s = packetWalk();

    ApplyResult r = apply(s, pod("default", "intruder", "worker1", "10.222.1.47"));

    ManifestError e = single(r);
    assertThat(e.objectName()).isEqualTo("Pod default/intruder");
    assertThat(e.field()).isEqualTo("status.podIP");
    assertThat(e.message()).contains("already used by Pod default/backend1");
    assertThat(r.state().pod("default", "intruder")).isEmpty();
    assertThat(r.state().podByIp(Ipv4.parse("10.222.1.47")).orElseThrow().name())
        .isEqualTo("backend1");

    // once the holder is gone, the same pod is admitted
    ClusterState without = r.state().delete(ObjectKind.POD, "default", "backend1").state();
    ApplyResult again = apply(without, pod("default", "intruder", "worker1", "10.222.1.47"));
    assertThat(again.errors()).isEmpty();
    assertThat(again.state().podByIp(Ipv4.parse("10.222.1.47")).orElseThrow().name())
        .isEqualTo("intruder");
  }

  @Test
  void podOnUnknownNodeIsKeptPendingAndAttachesWhenTheNodeAppears() {
    ApplyResult r = apply(packetWalk(), pod("default", "lonely", "worker7", "10.222.7.5"));

    ManifestError e = single(r);
    assertThat(e.severity()).isEqualTo(Severity.WARNING);
    assertThat(e.objectName()).isEqualTo("Pod default/lonely");
    assertThat(e.field()).isEqualTo("spec.nodeName");
    assertThat(e.message()).contains("node 'worker7' is unknown");
    assertThat(r.state().pendingPods()).extracting(PodInfo::name).containsExactly("lonely");
    assertThat(r.state().attachedPods()).extracting(PodInfo::name).doesNotContain("lonely");
    assertThat(r.state().unresolvedReferences())
        .extracting(ManifestError::name)
        .containsExactly("lonely");

    ApplyResult withNode =
        apply(
            r.state(),
            """
        apiVersion: v1
        kind: Node
        metadata: {name: worker7}
        spec: {podCIDR: 10.222.7.0/24}
        status: {addresses: [{type: InternalIP, address: 10.79.1.207}]}
        """);
    assertThat(withNode.errors()).isEmpty();
    assertThat(withNode.state().pendingPods()).isEmpty();
    assertThat(withNode.state().attachedPods()).extracting(PodInfo::name).contains("lonely");
  }

  @Test
  void missingPodIpAndUnscheduledPodsAreRejectedNamingTheField() {
    ApplyResult r =
        apply(
            ClusterState.empty(),
            """
        apiVersion: v1
        kind: Pod
        metadata: {name: starting, namespace: default}
        spec: {nodeName: worker1, containers: [{name: c}]}
        status: {phase: Pending}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: unscheduled, namespace: default}
        spec: {containers: [{name: c}]}
        """);

    assertThat(r.errors())
        .extracting(ManifestError::name, ManifestError::field)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("starting", "status.podIP"),
            org.assertj.core.groups.Tuple.tuple("unscheduled", "spec.nodeName"));
  }

  @Test
  void unresolvableReferencesAreWarnings() {
    ApplyResult r =
        apply(
            packetWalk(),
            """
        apiVersion: v1
        kind: Endpoints
        metadata: {name: ghost, namespace: default}
        subsets: [{addresses: [{ip: 10.222.1.47}], ports: [{port: 80}]}]
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: named, namespace: default}
        spec:
          clusterIP: 10.96.7.7
          selector: {role: backend}
          ports: [{name: web, port: 80, targetPort: https}]
        """);

    assertThat(r.errors())
        .extracting(ManifestError::objectName, ManifestError::field, ManifestError::severity)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "Endpoints default/ghost", "metadata.name", Severity.WARNING),
            org.assertj.core.groups.Tuple.tuple(
                "Service default/named", "spec.ports[0].targetPort", Severity.WARNING));
    assertThat(r.errors().get(1).message()).contains("named 'https'");
    assertThat(r.state().service("default", "named")).isPresent();
    assertThat(r.state().unresolvedReferences()).hasSize(2);
  }

  @Test
  void annotationsAreValidated() {
    ApplyResult r =
        apply(
            packetWalk(),
            """
        apiVersion: v1
        kind: Pod
        metadata:
          name: m
          namespace: default
          annotations: {sluice.dev/mac: "01:00:5e:00:00:01"}
        spec: {nodeName: worker1}
        status: {podIP: 10.222.1.60}
        ---
        apiVersion: v1
        kind: Pod
        metadata:
          name: i
          namespace: default
          annotations: {sluice.dev/interface: frontend-a3ba2f}
        spec: {nodeName: worker1}
        status: {podIP: 10.222.1.61}
        """);

    assertThat(r.errors())
        .extracting(ManifestError::name, ManifestError::field)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("m", "metadata.annotations[sluice.dev/mac]"),
            org.assertj.core.groups.Tuple.tuple("i", "metadata.annotations[sluice.dev/interface]"));
    assertThat(r.errors().get(1).message()).contains("already used by Pod default/frontend");
  }

  @Test
  void oneBadObjectDoesNotBlockTheRest() {
    ApplyResult r =
        apply(
            ClusterState.empty(),
            """
        apiVersion: v1
        kind: Node
        metadata: {name: bad}
        spec: {podCIDR: not-a-cidr}
        status: {addresses: [{type: InternalIP, address: 10.79.1.1}]}
        ---
        apiVersion: v1
        kind: Node
        metadata: {name: good}
        spec: {podCIDR: 10.222.5.0/24}
        status: {addresses: [{type: InternalIP, address: 10.79.1.5}]}
        ---
        apiVersion: v1
        kind: Node
        metadata: {name: overlapping}
        spec: {podCIDR: 10.222.0.0/16}
        status: {addresses: [{type: InternalIP, address: 10.79.1.6}]}
        ---
        kind: Widget
        metadata: {name: w}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: ok, namespace: default}
        spec: {nodeName: good}
        status: {podIP: 10.222.5.9}
        """);

    assertThat(r.state().nodes()).extracting(NodeInfo::name).containsExactly("good");
    assertThat(r.state().attachedPods()).extracting(PodInfo::name).containsExactly("ok");
    assertThat(r.errors())
        .extracting(ManifestError::objectName, ManifestError::field)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("Widget w", "kind"),
            org.assertj.core.groups.Tuple.tuple("Node bad", "spec.podCIDR"),
            org.assertj.core.groups.Tuple.tuple("Node overlapping", "spec.podCIDR"));
  }

  @Test
  void aRejectedUpdateKeepsThePreviousValidVersion() {
    ClusterState s = packetWalk();

    ApplyResult r =
        apply(
            s,
            """
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: backendpolicy, namespace: default}
        spec:
          podSelector: {}
          policyTypes: [Ingress, Sideways]
        """);

    assertThat(single(r).field()).isEqualTo("spec.policyTypes[1]");
    assertThat(r.state().networkPolicy("default", "backendpolicy"))
        .isEqualTo(s.networkPolicy("default", "backendpolicy"));
    assertThat(r.state()).isSameAs(s);
  }

  @Test
  void deletesAndIgnoredPods() {
    ClusterState s = packetWalk();

    ClusterState noNode = s.delete(ObjectKind.NODE, "", "worker2").state();
    assertThat(noNode.pendingPods())
        .extracting(PodInfo::name)
        .containsExactlyInAnyOrder("backend2", "coredns-f9fd979d6-2dzmn");
    assertThat(s.delete(ObjectKind.POD, "default", "nope").state()).isSameAs(s);

    ApplyResult finished =
        apply(
            s,
            """
        apiVersion: v1
        kind: Pod
        metadata: {name: frontend, namespace: default}
        spec: {nodeName: worker1}
        status: {phase: Succeeded, podIP: 10.222.1.48}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: kube-proxy-x, namespace: kube-system}
        spec: {nodeName: worker1, hostNetwork: true}
        status: {podIP: 10.79.1.201}
        """);
    assertThat(finished.errors()).isEmpty();
    assertThat(finished.state().pod("default", "frontend")).isEmpty();
    assertThat(finished.state().podByIp(Ipv4.parse("10.222.1.48"))).isEmpty();
    assertThat(finished.state().pod("kube-system", "kube-proxy-x")).isEmpty();
  }

  @Test
  void applyingTheSameObjectTwiceIsIdempotent() {
    ClusterState s = packetWalk();
    ApplyResult r = s.applyManifests(reader.read(PACKET_WALK));
    assertThat(r.errors()).isEmpty();
    assertThat(List.copyOf(r.state().pods())).isEqualTo(List.copyOf(s.pods()));
    assertThat(List.copyOf(r.state().networkPolicies()))
        .isEqualTo(List.copyOf(s.networkPolicies()));
    assertThat(r.state().namespace("default").labels())
        .isEqualTo(Map.of("kubernetes.io/metadata.name", "default"));
  }

  static String pod(String ns, String name, String node, String ip) {
    return """
        apiVersion: v1
        kind: Pod
        metadata: {name: %s, namespace: %s}
        spec: {nodeName: %s}
        status: {phase: Running, podIP: %s}
        """
        .formatted(name, ns, node, ip);
  }
}
