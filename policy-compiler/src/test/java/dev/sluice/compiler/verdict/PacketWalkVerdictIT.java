package dev.sluice.compiler.verdict;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.compiler.cluster.ClusterState;
import dev.sluice.compiler.cluster.ManifestReader;
import dev.sluice.compiler.compile.CompiledCluster;
import dev.sluice.compiler.compile.CompilerConfig;
import dev.sluice.compiler.compile.PortMap;
import dev.sluice.compiler.compile.PortSource;
import dev.sluice.compiler.verdict.ClusterBridges.Hop;
import dev.sluice.compiler.verdict.ClusterBridges.Walk;
import dev.sluice.testkit.packetwalk.PacketWalk;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The seed's packet walk on real bridges loaded with Sluice's own flows: {@code
 * deploy/examples/packet-walk} compiled with the seed's port numbers ({@code ports-worker*.csv})
 * into worker1's and worker2's {@code br-int}, the seed's three walks and two blocked connections
 * traced with {@code ofproto/trace --ct-next trk,new} across the tunnel, and the simulator walking
 * the same way.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class PacketWalkVerdictIT {
  private static final Path EXAMPLE = PacketWalk.dir();

  private static final String FRONTEND =
      "in_port=frontend-a3ba2f,dl_src=be:2c:bf:e4:ec:c5,nw_src=10.222.1.48,nw_ttl=64";
  private static final String BACKEND1 =
      "in_port=backend1-bab86f,dl_src=f2:32:d8:07:e2:a6,nw_src=10.222.1.47,nw_ttl=64";
  private static final String WORKER1_GW_MAC = "4e:99:08:c1:53:be";
  private static final String WORKER2_GW_MAC = "02:d8:4e:3f:92:1d";
  private static final long TUNNEL = 1;
  private static final long GATEWAY = 2;
  private static final long BACKEND2 = 35;

  private static ClusterBridges bridges;

  @BeforeAll
  static void load() throws IOException {
    ManifestReader.Manifests m = new ManifestReader().read(EXAMPLE.resolve("manifests"));
    assertThat(m.errors()).isEmpty();
    ClusterState.ApplyResult r = ClusterState.empty().applyManifests(m);
    assertThat(r.rejections()).isEmpty();
    PortSource ports =
        PortSource.explicit(
            Map.of(
                "worker1", PortMap.readCsv(EXAMPLE.resolve("ports-worker1.csv")),
                "worker2", PortMap.readCsv(EXAMPLE.resolve("ports-worker2.csv"))));
    CompiledCluster compiled =
        CompiledCluster.compileAll(r.state(), CompilerConfig.defaults(), ports);
    bridges = ClusterBridges.start(compiled, List.of("worker1", "worker2"));
  }

  @AfterAll
  static void stop() {
    if (bridges != null) {
      bridges.close();
    }
  }

  /** Walks on OVS and in the simulator; they must agree hop by hop. Returns OVS's walk. */
  private static Walk walk(String node, String microflow) {
    Walk ovs = bridges.walkOvs(node, microflow);
    Walk sim = bridges.walkSimulator(node, microflow);
    assertThat(PolicyVerdictIT.sameWalk(ovs, sim))
        .as(
            "simulator %s, OVS %s%nsimulator:%n%sOVS:%n%s",
            sim.summary(), ovs.summary(), sim.detail(), ovs.detail())
        .isTrue();
    return ovs;
  }

  @Test
  void frontendToBackendServiceEndsOnTheGatewayForKubeProxy() {
    Walk w =
        walk(
            "worker1",
            "tcp," + FRONTEND + ",dl_dst=" + WORKER1_GW_MAC + ",nw_dst=10.104.65.133,tcp_dst=80");
    assertThat(w.hops()).as(w.detail()).hasSize(1);
    assertThat(w.last().outputs()).as(w.detail()).containsExactly(GATEWAY);
    assertThat(w.last().detail()).contains("set_field:" + WORKER1_GW_MAC + "->eth_dst");
  }

  @Test
  void gatewayToBackend2AfterDnatLeavesThroughTheTunnelAndIsDeliveredOnWorker2() {
    Walk w =
        walk(
            "worker1",
            "tcp,in_port=antrea-gw0,dl_src="
                + WORKER1_GW_MAC
                + ",dl_dst=aa:bb:cc:dd:ee:ff,nw_src=10.222.1.48,nw_dst=10.222.2.34,tcp_dst=80,"
                + "nw_ttl=64");
    assertThat(w.hops()).as(w.detail()).hasSize(2);
    Hop worker1 = w.hops().get(0);
    assertThat(worker1.outputs()).as(w.detail()).containsExactly(TUNNEL);
    assertThat(worker1.tunnelled().tunDst()).isEqualTo("10.79.1.202");
    assertThat(worker1.tunnelled().dlSrc()).isEqualTo(WORKER1_GW_MAC);
    assertThat(worker1.tunnelled().dlDst()).isEqualTo("aa:bb:cc:dd:ee:ff");
    assertThat(worker1.tunnelled().ttl()).isEqualTo(63);
    // The gateway's connection is committed with ct_mark=0x20 (the reply must go back via gw0).
    assertThat(worker1.detail()).contains("ct(commit,zone=65520,mark=0x20/0xffffffff)");

    Hop worker2 = w.hops().get(1);
    assertThat(worker2.node()).isEqualTo("worker2");
    assertThat(worker2.microflow())
        .startsWith("tcp,in_port=antrea-tun0,tun_src=10.79.1.201,tun_dst=10.79.1.202,");
    assertThat(worker2.outputs()).as(w.detail()).containsExactly(BACKEND2);
    // Table 70 rewrote the MACs for delivery; table 90 admitted frontend's IP on TCP 80.
    assertThat(worker2.detail())
        .contains("set_field:" + WORKER2_GW_MAC + "->eth_src")
        .contains("set_field:c6:f4:b5:76:10:38->eth_dst")
        .contains("90. conj_id=");
  }

  @Test
  void frontendToBackend2PodIpOnPort80IsDelivered() {
    Walk w =
        walk(
            "worker1",
            "tcp," + FRONTEND + ",dl_dst=" + WORKER1_GW_MAC + ",nw_dst=10.222.2.34,tcp_dst=80");
    assertThat(w.summary())
        .isEqualTo("worker1: output [1] tun_dst=10.79.1.202 -> worker2: output [35]");
  }

  @Test
  void frontendToBackend2OnPort22IsDroppedByFrontendsEgressPolicy() {
    Walk w =
        walk(
            "worker1",
            "tcp," + FRONTEND + ",dl_dst=" + WORKER1_GW_MAC + ",nw_dst=10.222.2.34,tcp_dst=22");
    assertThat(w.summary()).as(w.detail()).isEqualTo("worker1: drop");
    assertThat(w.last().detail()).contains("60. ip,nw_src=10.222.1.48");
  }

  @Test
  void backend1ToBackend2IsDroppedBecauseBackendsMayInitiateNothing() {
    Walk w =
        walk(
            "worker1",
            "tcp," + BACKEND1 + ",dl_dst=" + WORKER1_GW_MAC + ",nw_dst=10.222.2.34,tcp_dst=80");
    assertThat(w.summary()).as(w.detail()).isEqualTo("worker1: drop");
    assertThat(w.last().detail()).contains("60. ip,nw_src=10.222.1.47");
  }

  @Test
  void backend1ToBackend2IsAlsoDroppedByBackend2sIngressWhenItArrives() {
    // Even if worker1 let it through, worker2's ingress rule admits only role=frontend.
    Walk w =
        walk(
            "worker2",
            "tcp,in_port=antrea-tun0,tun_src=10.79.1.201,tun_dst=10.79.1.202,dl_src="
                + WORKER1_GW_MAC
                + ",dl_dst=aa:bb:cc:dd:ee:ff,nw_src=10.222.1.47,nw_dst=10.222.2.34,tcp_dst=80,"
                + "nw_ttl=63");
    assertThat(w.summary()).as(w.detail()).isEqualTo("worker2: drop");
    assertThat(w.last().detail()).contains("100. ip,reg1=0x23");
  }
}
