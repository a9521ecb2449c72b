package dev.sluice.testkit.ovs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The harness against a real ovs-vswitchd (dummy datapath), with the seed's worker1 flows. */
class OvsNodeIT {

  private static final String BR = "br-int";

  /** worker1's pod ports in the seed, with their OpenFlow port numbers. */
  private static final Map<String, Integer> WORKER1_PODS =
      Map.of(
          "coredns--3e3abf", 3, "antrea-o-830766", 4, "backend1-bab86f", 5, "frontend-a3ba2f", 6);

  /**
   * A subset of worker1's flows from the reference walk (deploy/examples/packet-walk/flows): tables
   * 0, 30 and 31 complete; the table-miss flows of 40/50/60; the route to worker2's pod subnet in
   * 70; conntrack commit (105) and output (110). Table 10 only has the gateway and frontend flows.
   */
  private static final String FLOWS =
      """
      # table 0: Classifier
      cookie=0x1000000000000, table=0, priority=200,in_port="antrea-gw0" actions=load:0x1->NXM_NX_REG0[0..15],resubmit(,10)
      cookie=0x1000000000000, table=0, priority=200,in_port="antrea-tun0" actions=move:NXM_NX_TUN_METADATA0[28..31]->NXM_NX_REG9[28..31],load:0->NXM_NX_REG0[0..15],load:0x1->NXM_NX_REG0[19],resubmit(,30)
      cookie=0x1030000000000, table=0, priority=190,in_port="coredns--3e3abf" actions=load:0x2->NXM_NX_REG0[0..15],resubmit(,10)
      cookie=0x1030000000000, table=0, priority=190,in_port="antrea-o-830766" actions=load:0x2->NXM_NX_REG0[0..15],resubmit(,10)
      cookie=0x1030000000000, table=0, priority=190,in_port="backend1-bab86f" actions=load:0x2->NXM_NX_REG0[0..15],resubmit(,10)
      cookie=0x1030000000000, table=0, priority=190,in_port="frontend-a3ba2f" actions=load:0x2->NXM_NX_REG0[0..15],resubmit(,10)
      cookie=0x1000000000000, table=0, priority=0 actions=drop
      cookie=0x1000000000000, table=10, priority=200,ip,in_port="antrea-gw0" actions=resubmit(,30)
      cookie=0x1030000000000, table=10, priority=200,ip,in_port="frontend-a3ba2f",dl_src=be:2c:bf:e4:ec:c5,nw_src=10.222.1.48 actions=resubmit(,30)
      cookie=0x1000000000000, table=10, priority=0 actions=drop
      cookie=0x1000000000000, table=30, priority=200,ip actions=ct(table=31,zone=65520)
      cookie=0x1000000000000, table=31, priority=210,ct_state=-new+trk,ct_mark=0x20,ip,reg0=0x1/0xffff actions=resubmit(,40)
      cookie=0x1000000000000, table=31, priority=200,ct_state=-new+trk,ct_mark=0x20,ip actions=load:0x4e9908c153be->NXM_OF_ETH_DST[],resubmit(,40)
      cookie=0x1000000000000, table=31, priority=190,ct_state=+inv+trk,ip actions=drop
      cookie=0x1000000000000, table=31, priority=0 actions=resubmit(,40)
      cookie=0x1000000000000, table=40, priority=0 actions=resubmit(,50)
      cookie=0x1000000000000, table=50, priority=0 actions=resubmit(,60)
      cookie=0x1000000000000, table=60, priority=0 actions=resubmit(,70)
      cookie=0x1020000000000, table=70, priority=200,ip,nw_dst=10.222.2.0/24 actions=dec_ttl,mod_dl_src:4e:99:08:c1:53:be,mod_dl_dst:aa:bb:cc:dd:ee:ff,load:0x1->NXM_NX_REG1[],load:0x1->NXM_NX_REG0[16],load:0xa4f01ca->NXM_NX_TUN_IPV4_DST[],resubmit(,105)
      cookie=0x1000000000000, table=70, priority=0 actions=resubmit(,80)
      cookie=0x1000000000000, table=105, priority=200,ct_state=+new+trk,ip,reg0=0x1/0xffff actions=ct(commit,table=110,zone=65520,exec(load:0x20->NXM_NX_CT_MARK[]))
      cookie=0x1000000000000, table=105, priority=190,ct_state=+new+trk,ip actions=ct(commit,table=110,zone=65520)
      cookie=0x1000000000000, table=105, priority=0 actions=resubmit(,110)
      cookie=0x1000000000000, table=110, priority=200,ip,reg0=0x10000/0x10000 actions=output:NXM_NX_REG1[]
      cookie=0x1000000000000, table=110, priority=0 actions=drop
      """;

  private static final int FLOW_COUNT =
      (int) FLOWS.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).count();

  private static void worker1Bridge(OvsNode node, long datapathId) {
    node.createAntreaBridge(BR, datapathId);
    WORKER1_PODS.forEach((name, ofport) -> node.addPodPort(BR, name, ofport));
  }

  @Test
  void twoNodesRunSideBySideEachWithItsOwnGatewayAndPortNumbers() {
    try (OvsNode a = OvsNode.start();
        OvsNode b = OvsNode.start()) {
      worker1Bridge(a, 1);
      b.createAntreaBridge(BR, 2);
      b.addPodPort(BR, "backend2-202ff6", 35);

      assertEquals(
          Map.of(
              "br-int", 65534,
              "antrea-tun0", 1,
              "antrea-gw0", 2,
              "coredns--3e3abf", 3,
              "antrea-o-830766", 4,
              "backend1-bab86f", 5,
              "frontend-a3ba2f", 6),
          a.portNumbers(BR));
      assertEquals(
          Map.of("br-int", 65534, "antrea-tun0", 1, "antrea-gw0", 2, "backend2-202ff6", 35),
          b.portNumbers(BR));
      assertTrue(a.ofctl("show", BR).contains("dpid:0000000000000001"), a.ofctl("show", BR));
      assertTrue(b.ofctl("show", BR).contains("dpid:0000000000000002"), b.ofctl("show", BR));
      assertTrue(a.ofctl("dump-tlv-map", BR).contains("tun_metadata0"));

      a.addFlows(BR, FLOWS);
      assertEquals(FLOW_COUNT, a.dumpFlows(BR).size());
      assertEquals(List.of(), b.dumpFlows(BR), "flows added to node a leaked into node b");
    }
  }

  @Test
  void seedFlowsLoadFromTextDumpBackAndTraceTheGatewayToRemotePodWalk() {
    try (OvsNode node = OvsNode.start()) {
      worker1Bridge(node, 1);
      node.addFlows(BR, FLOWS);

      List<String> named = node.dumpFlows(BR);
      assertEquals(FLOW_COUNT, named.size(), String.join("\n", named));
      assertTrue(
          named.contains(
              "cookie=0x1000000000000, priority=200,in_port=\"antrea-gw0\""
                  + " actions=load:0x1->NXM_NX_REG0[0..15],resubmit(,10)"),
          String.join("\n", named));
      assertTrue(
          node.dumpFlowsNoNames(BR)
              .contains(
                  "cookie=0x1000000000000, priority=200,in_port=2"
                      + " actions=load:0x1->NXM_NX_REG0[0..15],resubmit(,10)"));
      assertEquals(4, node.dumpFlows(BR, "table=31").size());

      TraceResult toRemotePod =
          node.ofprotoTrace(
              BR,
              "in_port=antrea-gw0,tcp,nw_src=10.222.1.48,nw_dst=10.222.2.34,nw_ttl=64,tcp_dst=80",
              "trk,new");
      assertEquals(
          List.of(0, 10, 30, 31, 40, 50, 60, 70, 105, 110),
          toRemotePod.tables(),
          toRemotePod.text());
      assertEquals(List.of(OvsNode.TUNNEL_OFPORT), toRemotePod.outputPorts(), toRemotePod.text());
      assertFalse(toRemotePod.dropped());
      assertTrue(toRemotePod.text().contains("tun_dst=10.79.1.202"), toRemotePod.text());
      assertTrue(
          toRemotePod.text().contains("ct(commit,zone=65520,mark=0x20/0xffffffff)"),
          toRemotePod.text());

      // Antrea's SpoofGuard: a pod sending from an address that is not its own is dropped in 10.
      TraceResult spoofed =
          node.ofprotoTrace(
              BR,
              "in_port=frontend-a3ba2f,tcp,dl_src=be:2c:bf:e4:ec:c5,nw_src=10.222.1.99,"
                  + "nw_dst=10.222.2.34,nw_ttl=64,tcp_dst=80");
      assertEquals(List.of(0, 10), spoofed.tables(), spoofed.text());
      assertTrue(spoofed.dropped());
      assertEquals("drop", spoofed.datapathActions());

      // Established traffic not from the gateway (ct_mark 0) skips nothing in this subset either,
      // but must not be committed again in 105.
      TraceResult established =
          node.ofprotoTrace(
              BR,
              "in_port=frontend-a3ba2f,tcp,dl_src=be:2c:bf:e4:ec:c5,nw_src=10.222.1.48,"
                  + "nw_dst=10.222.2.34,nw_ttl=64,tcp_dst=80",
              "trk,est");
      assertEquals(List.of(1), established.outputPorts(), established.text());
      assertFalse(established.text().contains("ct(commit"), established.text());
    }
  }

  @Test
  void unixctlConnectionTracesLikeOvsAppctlAndReportsErrors() {
    try (OvsNode node = OvsNode.start()) {
      worker1Bridge(node, 1);
      node.addFlows(BR, FLOWS);
      String packet =
          "in_port=antrea-gw0,tcp,nw_src=10.222.1.48,nw_dst=10.222.2.34,nw_ttl=64,tcp_dst=80";
      try (UnixctlConnection unixctl = node.openUnixctl()) {
        for (int i = 0; i < 3; i++) {
          // Equal but for the recirculation ids, which every trace allocates anew.
          assertEquals(
              withoutRecircIds(node.ofprotoTrace(BR, packet, "trk,new").text()),
              withoutRecircIds(unixctl.ofprotoTrace(BR, packet, "trk,new").text()));
        }
        OvsCommandException e =
            assertThrows(OvsCommandException.class, () -> unixctl.ofprotoTrace("br-nope", packet));
        assertTrue(e.stderr().contains("br-nope"), e.getMessage());
        // The connection survives an error reply.
        assertEquals(List.of(1), unixctl.ofprotoTrace(BR, packet).effectiveOutputPorts());
      }
    }
  }

  private static String withoutRecircIds(String trace) {
    return trace.replaceAll("recirc(_id=|\\()0x[0-9a-f]+", "recirc$1N");
  }

  @Test
  void bundleIsAtomicAndFailuresCarryStderrAndTheVswitchdLog() {
    try (OvsNode node = OvsNode.start()) {
      node.createBridge(BR);
      OvsCommandException e =
          assertThrows(
              OvsCommandException.class,
              () ->
                  node.addFlowsBundle(
                      BR,
                      "table=0,priority=1 actions=drop\n"
                          + "table=0,priority=2,in_port=\"no-such-port\" actions=drop\n"));
      assertTrue(e.stderr().contains("no-such-port"), e.getMessage());
      assertTrue(e.getMessage().contains("tail of ovs-vswitchd.log"), e.getMessage());
      assertNotEquals(0, e.exitCode());
      assertEquals(List.of(), node.dumpFlows(BR), "a failed bundle installed flows");

      node.addFlowsBundle(BR, "table=0,priority=1 actions=drop\ntable=5,priority=1 actions=drop\n");
      assertEquals(2, node.dumpFlows(BR).size());
      node.replaceFlowsBundle(BR, "table=7,priority=3 actions=drop\n");
      assertEquals(List.of("table=7, priority=3 actions=drop"), node.dumpFlows(BR));
    }
  }

  @Test
  void groupsAreDumpedWithoutTheReplyHeader() {
    try (OvsNode node = OvsNode.start()) {
      worker1Bridge(node, 1);
      node.ofctl("add-group", BR, "group_id=7,type=select,bucket=output:5,bucket=output:6");
      List<String> groups = node.dumpGroups(BR);
      assertEquals(1, groups.size(), String.join("\n", groups));
      assertTrue(groups.get(0).startsWith("group_id=7,type=select"), groups.get(0));
    }
  }

  @Test
  void settingTheFirstControllerWipesTheFlowsSoItMustComeFirst() {
    try (OvsNode node = OvsNode.start()) {
      worker1Bridge(node, 1);
      node.addFlows(BR, FLOWS);
      // Nothing listens there: the bridge keeps retrying, which is all this test needs.
      node.setController(BR, "unix:" + node.dir().resolve("nobody.sock"));
      assertEquals(List.of(), node.dumpFlows(BR));

      node.addFlows(BR, FLOWS);
      assertEquals(FLOW_COUNT, node.dumpFlows(BR).size());
    }
  }

  @Test
  void restartingVswitchdLosesFlowsAndTlvMapButKeepsPortNumbers() {
    try (OvsNode node = OvsNode.start()) {
      worker1Bridge(node, 1);
      node.addFlows(BR, FLOWS);
      Map<String, Integer> ports = node.portNumbers(BR);
      long before = node.vswitchdPid();

      node.restartVswitchd();

      assertNotEquals(before, node.vswitchdPid());
      assertFalse(OvsNode.isRunning(before));
      assertEquals(List.of(), node.dumpFlows(BR));
      assertFalse(node.ofctl("dump-tlv-map", BR).contains("tun_metadata0"));
      assertEquals(ports, node.portNumbers(BR));

      // The replay a controller does after a restart works on the restarted daemon.
      node.addTlvMap(BR, OvsNode.ANTREA_TLV_MAP);
      node.addFlows(BR, FLOWS);
      assertEquals(FLOW_COUNT, node.dumpFlows(BR).size());
    }
  }

  @Test
  void closeStopsBothDaemonsAndRemovesTheDirectory() {
    OvsNode node = OvsNode.start();
    node.createBridge(BR);
    long server = node.ovsdbServerPid();
    long vswitchd = node.vswitchdPid();
    Path dir = node.dir();
    assertTrue(OvsNode.isRunning(server));
    assertTrue(OvsNode.isRunning(vswitchd));

    node.close();
    node.close(); // idempotent

    assertFalse(OvsNode.isRunning(server));
    assertFalse(OvsNode.isRunning(vswitchd));
    assertFalse(Files.exists(dir), dir + " still exists");
    assertThrows(IllegalStateException.class, node::restartVswitchd);
  }

  @Test
  @ExtendWith(OvsNodeExtension.class)
  void theExtensionInjectsIndependentNodes(OvsNode a, OvsNode b) {
    assertNotEquals(a.dir(), b.dir());
    a.createBridge(BR);
    b.createBridge(BR);
    assertTrue(a.appctl("version").contains("Open vSwitch"));
    assertEquals(Map.of(BR, 65534), b.portNumbers(BR));
  }
}
