package dev.sluice.compiler.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.compiler.cluster.NetworkPolicyInfo.IpBlock;
import dev.sluice.compiler.cluster.NetworkPolicyInfo.Peer;
import dev.sluice.compiler.cluster.NetworkPolicyInfo.PolicyPort;
import dev.sluice.compiler.cluster.NetworkPolicyInfo.PolicyRule;
import dev.sluice.compiler.cluster.NetworkPolicyInfo.PolicyType;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NetworkPolicyInfoTest {

  private final ClusterState state =
      ClusterState.empty()
          .applyManifests(
              new ManifestReader().read(ManifestReaderTest.resource("kubectl/policies.yaml")))
          .state();

  @Test
  void frontendPolicyFromTheSeed() {
    NetworkPolicyInfo p = state.networkPolicy("default", "frontendpolicy").orElseThrow();

    assertThat(p.podSelector()).isEqualTo(LabelSelector.of(Map.of("role", "frontend")));
    assertThat(p.policyTypes()).containsExactly(PolicyType.INGRESS, PolicyType.EGRESS);
    assertThat(p.policyTypesImplied()).isFalse();
    assertThat(p.egress())
        .containsExactly(
            new PolicyRule(
                List.of(Peer.pods(LabelSelector.of(Map.of("role", "backend")))),
                List.of(PolicyPort.of(Protocol.TCP, 80))),
            new PolicyRule(List.of(), List.of(PolicyPort.of(Protocol.UDP, 53))));
    assertThat(p.egress().get(1).allowsAllPeers()).isTrue(); // absent `to` = everywhere
    assertThat(p.ingress()).singleElement().satisfies(r -> assertThat(r.allowsAllPeers()).isTrue());
  }

  @Test
  void everyPeerAndPortShape() {
    NetworkPolicyInfo p = state.networkPolicy("prod", "everything").orElseThrow();

    assertThat(p.policyTypesImplied()).isTrue();
    assertThat(p.policyTypes()).containsExactly(PolicyType.INGRESS, PolicyType.EGRESS);
    assertThat(p.podSelector().matches(Map.of("tier", "web"))).isTrue();
    assertThat(p.podSelector().matches(Map.of("tier", "web", "canary", "true"))).isFalse();
    List<Peer> from = p.ingress().get(0).peers();
    assertThat(from.get(0))
        .isEqualTo(
            Peer.podsInNamespaces(
                LabelSelector.of(Map.of("role", "client")),
                LabelSelector.of(Map.of("team", "blue"))));
    assertThat(from.get(1)).isEqualTo(Peer.namespaces(LabelSelector.everything()));
    assertThat(from.get(1).podSelector()).isEmpty(); // absent, not {}
    IpBlock block = from.get(2).ipBlock().orElseThrow();
    assertThat(block.effectiveCidrs()).hasSize(8).doesNotContain(Ipv4Cidr.parse("172.17.1.0/24"));
    assertThat(p.ingress().get(0).ports())
        .containsExactly(
            new PolicyPort(Protocol.TCP, Optional.of(PortRef.named("web")), Optional.empty()),
            new PolicyPort(Protocol.UDP, Optional.of(PortRef.of(32000)), Optional.of(32768)),
            new PolicyPort(Protocol.SCTP, Optional.empty(), Optional.empty()));
    // egress: [{}] — one empty rule: everything allowed
    assertThat(p.egress())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.allowsAllPeers()).isTrue();
              assertThat(r.allowsAllPorts()).isTrue();
            });
  }

  @Test
  void impliedTypesAndEmptyIngressDenyingEverything() {
    NetworkPolicyInfo p = state.networkPolicy("prod", "implied").orElseThrow();

    assertThat(p.podSelector().selectsEverything()).isTrue();
    assertThat(p.policyTypes()).containsExactly(PolicyType.INGRESS, PolicyType.EGRESS);
    assertThat(p.isolatesIngress()).isTrue();
    assertThat(p.ingress()).isEmpty(); // isolated with no rule: nothing in
    assertThat(p.egress().get(0).peers()).containsExactly(Peer.pods(LabelSelector.everything()));
  }

  @Test
  void peerSelectionSemantics() {
    Map<String, String> nsBlue = Map.of("team", "blue", "kubernetes.io/metadata.name", "blue");
    Map<String, String> client = Map.of("role", "client");
    Peer onlyPods = Peer.pods(LabelSelector.of(client));
    Peer onlyNamespaces = Peer.namespaces(LabelSelector.of(Map.of("team", "blue")));
    Peer both =
        Peer.podsInNamespaces(LabelSelector.of(client), LabelSelector.of(Map.of("team", "blue")));

    assertThat(onlyPods.selectsPod("prod", "prod", client, Map.of())).isTrue();
    assertThat(onlyPods.selectsPod("prod", "blue", client, nsBlue)).isFalse(); // other namespace
    assertThat(onlyNamespaces.selectsPod("prod", "blue", Map.of(), nsBlue)).isTrue(); // all pods
    assertThat(onlyNamespaces.selectsPod("prod", "prod", client, Map.of())).isFalse();
    assertThat(both.selectsPod("prod", "blue", client, nsBlue)).isTrue();
    assertThat(both.selectsPod("prod", "blue", Map.of(), nsBlue)).isFalse();
    assertThat(
            Peer.ipBlock(new IpBlock(Ipv4Cidr.parse("0.0.0.0/0"), List.of()))
                .selectsPod("prod", "prod", client, Map.of()))
        .isFalse();
  }

  @Test
  void invalidShapesAreRefused() {
    assertThatThrownBy(() -> new Peer(Optional.empty(), Optional.empty(), Optional.empty()))
        .hasMessageContaining("needs podSelector, namespaceSelector or ipBlock");
    assertThatThrownBy(
            () -> new PolicyPort(Protocol.TCP, Optional.of(PortRef.named("web")), Optional.of(90)))
        .hasMessageContaining("endPort requires a numeric port");
    assertThatThrownBy(
            () -> new PolicyPort(Protocol.TCP, Optional.of(PortRef.of(100)), Optional.of(90)))
        .hasMessageContaining("endPort 90 must be in 100..65535");
    assertThatThrownBy(() -> PortRef.named("HTTP")).hasMessageContaining("not a valid port name");
    assertThatThrownBy(() -> PortRef.named("123")).hasMessageContaining("not a valid port name");
  }
}
