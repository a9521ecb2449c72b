package dev.sluice.southbound.tables;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.compiler.flow.Flow;
import dev.sluice.compiler.flow.FlowText;
import dev.sluice.compiler.flow.PortNames;
import dev.sluice.compiler.flow.TableChanges;
import dev.sluice.southbound.channel.BundleFailedException;
import dev.sluice.southbound.channel.ListenAddress;
import dev.sluice.southbound.channel.OpenFlowServer;
import dev.sluice.southbound.channel.SwitchListener;
import dev.sluice.southbound.channel.SwitchSession;
import dev.sluice.testkit.ovs.OvsNode;
import dev.sluice.testkit.ovs.TraceResult;
import dev.sluice.testkit.packetwalk.PacketWalk;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The seed's worker1 and worker2 flow sets pushed through Sluice's own southbound (channel, codec,
 * bundles) into real ovs-vswitchd bridges, then checked three ways: the switch's own {@code
 * dump-flows}, Sluice's decoded read-back, and {@code ofproto/trace} of the seed's walks.
 */
class TableSyncIT {
  private static final Path FLOWS = PacketWalk.flowsDir();
  private static final Map<String, Integer> WORKER1 =
      Map.of(
          "coredns--3e3abf", 3, "antrea-o-830766", 4, "backend1-bab86f", 5, "frontend-a3ba2f", 6);
  private static final Map<String, Integer> WORKER2 =
      Map.of("coredns--d8f62c", 3, "backend2-202ff6", 35);

  static OvsNode worker1;
  static OvsNode worker2;
  static OpenFlowServer server;
  static SwitchSession session1;
  static SwitchSession session2;

  @BeforeAll
  static void start() throws Exception {
    LinkedBlockingQueue<SwitchSession> connected = new LinkedBlockingQueue<>();
    server =
        OpenFlowServer.builder(
                new SwitchListener() {
                  @Override
                  public void switchConnected(SwitchSession s) {
                    connected.add(s);
                  }
                })
            .listen(ListenAddress.parse("tcp:127.0.0.1:0"))
            .start();
    worker1 = node(0x1L, WORKER1);
    worker2 = node(0x2L, WORKER2);
    for (int i = 0; i < 2; i++) {
      SwitchSession s = connected.poll(30, TimeUnit.SECONDS);
      assertThat(s).as("switch connected").isNotNull();
      if (s.datapathId() == 1) {
        session1 = s;
      } else {
        session2 = s;
      }
    }
    assertThat(session1).isNotNull();
    assertThat(session2).isNotNull();
  }

  private static OvsNode node(long dpid, Map<String, Integer> pods) {
    OvsNode n = OvsNode.start();
    n.createAntreaBridge("br-int", dpid);
    pods.forEach((name, port) -> n.addPodPort("br-int", name, port));
    n.setController("br-int", "tcp:127.0.0.1:" + server.tcpPort());
    return n;
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
    if (worker1 != null) {
      worker1.close();
    }
    if (worker2 != null) {
      worker2.close();
    }
  }

  private static List<Flow> seed(String file, SwitchSession s) throws Exception {
    return FlowText.parseAll(
        Files.readString(FLOWS.resolve(file)), TableSync.names(s.ports()), true);
  }

  private static TableChanges sync(SwitchSession s, List<Flow> desired) throws Exception {
    Installed installed = TableSync.read(s).get(30, TimeUnit.SECONDS);
    TableChanges plan = installed.changesTo(desired, List.of());
    TableSync.apply(s, plan).get(30, TimeUnit.SECONDS);
    return plan;
  }

  @Test
  void seedFlowsInstallExactlyAndReadBackEqual() throws Exception {
    for (var c :
        List.of(
            new Object[] {worker1, session1, "worker1.flows"},
            new Object[] {worker2, session2, "worker2.flows"})) {
      OvsNode node = (OvsNode) c[0];
      SwitchSession s = (SwitchSession) c[1];
      List<Flow> desired = seed((String) c[2], s);
      sync(s, desired);
      PortNames names = TableSync.names(s.ports());

      // (a) what ovs-ofctl prints equals Sluice's own text for the same flows, as sets of lines
      Set<String> ours = new HashSet<>();
      desired.forEach(f -> ours.add(FlowText.format(f, names)));
      assertThat(new HashSet<>(node.dumpFlows("br-int"))).isEqualTo(ours);

      // (b) Sluice's decoded flow-stats read-back is the same set
      Installed back = TableSync.read(s).get(30, TimeUnit.SECONDS);
      assertThat(back.flowEntries()).allMatch(e -> e.isExact());
      assertThat(new HashSet<>(back.flows())).isEqualTo(new HashSet<>(desired));

      // a second sync of the same flows sends nothing
      assertThat(sync(s, desired).isEmpty()).isTrue();
    }
  }

  @Test
  void seedWalkFrontendToServiceEndsOnTheGateway() throws Exception {
    sync(session1, seed("worker1.flows", session1));
    TraceResult t =
        worker1.ofprotoTrace(
            "br-int",
            "in_port=frontend-a3ba2f,tcp,dl_src=be:2c:bf:e4:ec:c5,dl_dst=4e:99:08:c1:53:be,"
                + "nw_src=10.222.1.48,nw_dst=10.104.65.133,tp_dst=80,nw_ttl=64",
            "trk,new");
    assertThat(t.outputPorts()).containsExactly(2);
    assertThat(t.tables()).contains(0, 10, 30, 31, 40, 105, 110);
  }

  @Test
  void rejectedFlowFailsWithOvsErrorAndLeavesTablesAsTheyWere() throws Exception {
    List<Flow> good = seed("worker1.flows", session1);
    sync(session1, good);
    List<String> before = worker1.dumpFlows("br-int");
    List<Flow> bad = new ArrayList<>(good.subList(0, 10));
    bad.add(FlowText.parse("table=0,priority=5,ip actions=group:77", PortNames.NONE));
    assertThatThrownBy(() -> sync(session1, bad))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOf(BundleFailedException.class)
        .hasMessageContaining("OFPBAC_BAD_OUT_GROUP")
        .hasMessageContaining("group:77");
    assertThat(worker1.dumpFlows("br-int")).containsExactlyInAnyOrderElementsOf(before);
  }
}
