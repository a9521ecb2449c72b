package dev.sluice.compiler.compile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.compiler.flow.Flow;
import dev.sluice.compiler.flow.FlowText;
import dev.sluice.compiler.pipeline.Cookie;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The tables the seed does not print (20, and the skeleton of 90/100), from Antrea v0.9's {@code
 * docs/ovs-pipeline.md}, on the packet-walk worker1; and the default port numbering.
 */
class PodConnectivityCompilerTest {

  @Test
  void arpResponderAnswersForEveryRemoteGatewayWithTheVirtualMac() throws IOException {
    CompiledCluster c = PacketWalkGoldenTest.compileExample();
    assertThat(lines(c, "worker1", 20))
        .containsExactlyInAnyOrder(
            "cookie=0x1020000000000, table=20, priority=200,arp,arp_tpa=10.222.0.1,arp_op=1"
                + " actions=move:NXM_OF_ETH_SRC[]->NXM_OF_ETH_DST[],mod_dl_src:aa:bb:cc:dd:ee:ff,"
                + "load:0x2->NXM_OF_ARP_OP[],move:NXM_NX_ARP_SHA[]->NXM_NX_ARP_THA[],"
                + "load:0xaabbccddeeff->NXM_NX_ARP_SHA[],move:NXM_OF_ARP_SPA[]->NXM_OF_ARP_TPA[],"
                + "load:0xade0001->NXM_OF_ARP_SPA[],IN_PORT",
            "cookie=0x1020000000000, table=20, priority=200,arp,arp_tpa=10.222.2.1,arp_op=1"
                + " actions=move:NXM_OF_ETH_SRC[]->NXM_OF_ETH_DST[],mod_dl_src:aa:bb:cc:dd:ee:ff,"
                + "load:0x2->NXM_OF_ARP_OP[],move:NXM_NX_ARP_SHA[]->NXM_NX_ARP_THA[],"
                + "load:0xaabbccddeeff->NXM_NX_ARP_SHA[],move:NXM_OF_ARP_SPA[]->NXM_OF_ARP_TPA[],"
                + "load:0xade0201->NXM_OF_ARP_SPA[],IN_PORT",
            "cookie=0x1000000000000, table=20, priority=190,arp actions=NORMAL",
            "cookie=0x1000000000000, table=20, priority=0 actions=drop");
  }

  @Test
  void ingressTablesBypassEstablishedAndGatewayTrafficAndDropIsolatedPods() throws IOException {
    CompiledCluster c = PacketWalkGoldenTest.compileExample();
    assertThat(lines(c, "worker1", 90))
        .contains(
            "cookie=0x1000000000000, table=90, priority=210,ct_state=-new+est,ip"
                + " actions=resubmit(,105)",
            "cookie=0x1000000000000, table=90, priority=210,ip,nw_src=10.222.1.1"
                + " actions=resubmit(,105)",
            "cookie=0x1000000000000, table=90, priority=0 actions=resubmit(,100)");
    assertThat(lines(c, "worker1", 100))
        .containsExactlyInAnyOrder(
            "cookie=0x1000000000000, table=100, priority=200,ip,reg1=0x5 actions=drop",
            "cookie=0x1000000000000, table=100, priority=200,ip,reg1=0x6 actions=drop",
            "cookie=0x1000000000000, table=100, priority=0 actions=resubmit(,105)");
  }

  @Test
  void defaultNumberingIsTunnelGatewayThenPodsByNamespaceAndName() throws IOException {
    CompiledCluster c = CompiledCluster.compileAll(PacketWalkGoldenTest.compileExample().state());
    assertThat(c.ports("worker1").byName())
        .containsExactly(
            java.util.Map.entry("antrea-gw0", 2L),
            java.util.Map.entry("antrea-o-830766", 5L),
            java.util.Map.entry("antrea-tun0", 1L),
            java.util.Map.entry("backend1-bab86f", 3L),
            java.util.Map.entry("coredns--3e3abf", 6L),
            java.util.Map.entry("frontend-a3ba2f", 4L));
  }

  @Test
  void everyFlowHasAProvenance() throws IOException {
    CompiledCluster c = PacketWalkGoldenTest.compileExample();
    for (String n : c.nodes()) {
      for (Flow f : c.flows(n).flows()) {
        assertThat(c.provenance().origins(f.cookie())).as(f.toString()).isNotEmpty();
      }
    }
    assertThat(c.provenance().collisions()).isEmpty();
  }

  private static List<String> lines(CompiledCluster c, String node, int table) {
    return c.flows(node).table(table).stream()
        .map(f -> f.withCookie(Cookie.withoutObject(f.cookie())))
        .map(f -> FlowText.format(f, c.ports(node).names(), FlowText.Style.OPENFLOW10))
        .toList();
  }
}
