package dev.sluice.southbound.channel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.southbound.wire.BundleWire;
import dev.sluice.southbound.wire.Multipart;
import dev.sluice.testkit.ovs.OvsNode;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFFlowModFlags;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.TableId;
import org.projectfloodlight.openflow.types.U64;

/**
 * The channel against two real ovs-vswitchd instances (dummy datapath): bridge A connects over TCP,
 * bridge B over a unix socket in its run directory.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenFlowServerIT {
  private static final OFFactory OF13 = OFFactories.getFactory(OFVersion.OF_13);
  private static final long DPID_A = 0x0000_0000_0000_0a01L;
  private static final long DPID_B = 0x0000_0000_0000_0b02L;
  private static final Duration WAIT = Duration.ofSeconds(30);

  private final Map<Long, SwitchSession> sessions = new ConcurrentHashMap<>();
  private final List<String> disconnects = new CopyOnWriteArrayList<>();
  private final List<OpenFlowError> asyncErrors = new CopyOnWriteArrayList<>();
  private OvsNode ovsA;
  private OvsNode ovsB;
  private OpenFlowServer server;

  @BeforeAll
  void start() throws Exception {
    ovsA = bridge(DPID_A);
    ovsB = bridge(DPID_B);
    // OVS only connects to unix-socket controllers inside its run directory (self-confinement).
    Path socket = ovsB.dir().resolve("sluice.sock");
    server =
        OpenFlowServer.builder(
                new SwitchListener() {
                  @Override
                  public void switchConnected(SwitchSession s) {
                    sessions.put(s.datapathId(), s);
                  }

                  @Override
                  public void switchDisconnected(SwitchSession s, String reason) {
                    disconnects.add(s.name() + ": " + reason);
                  }

                  @Override
                  public void asyncError(SwitchSession s, OpenFlowError error) {
                    asyncErrors.add(error);
                  }
                })
            .listen(ListenAddress.tcp("127.0.0.1", 0))
            .listen(ListenAddress.unix(socket))
            .start();
    ovsA.setController("br-int", "tcp:127.0.0.1:" + server.tcpPort());
    ovsB.setController("br-int", "unix:" + socket);
  }

  private static OvsNode bridge(long dpid) {
    OvsNode node = OvsNode.start();
    node.createBridge("br-int", dpid);
    node.addGatewayPort("br-int");
    node.addPodPort("br-int", "frontend-a3ba2f", 6);
    return node;
  }

  @AfterAll
  void stop() {
    if (server != null) {
      server.close();
    }
    if (ovsA != null) {
      ovsA.close();
    }
    if (ovsB != null) {
      ovsB.close();
    }
  }

  private SwitchSession session(long dpid) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      SwitchSession s = sessions.get(dpid);
      if (s != null && s.isConnected()) {
        return s;
      }
      Thread.sleep(50);
    }
    throw new AssertionError(
        String.format("switch %016x did not connect; sessions %s", dpid, sessions));
  }

  private static <T> T await(CompletableFuture<T> f) throws Exception {
    return f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  private static Throwable failure(CompletableFuture<?> f) throws Exception {
    try {
      f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (TimeoutException e) {
      throw new AssertionError("no outcome within " + WAIT, e);
    }
    throw new AssertionError("expected a failure");
  }

  private static OutgoingMessage flowAdd(int table, int priority, int gotoTable, long cookie) {
    return OutgoingMessage.ofLoxi(
        OF13.buildFlowAdd()
            .setTableId(TableId.of(table))
            .setPriority(priority)
            .setCookie(U64.of(cookie))
            .setMatch(OF13.buildMatch().build())
            .setInstructions(List.of(OF13.instructions().gotoTable(TableId.of(gotoTable))))
            .build(),
        String.format(
            "cookie=0x%x, table=%d, priority=%d actions=goto_table:%d",
            cookie, table, priority, gotoTable));
  }

  private List<String> flowsInTable(OvsNode ovs, int table) throws Exception {
    return ovs.dumpFlows("br-int").stream()
        .filter(l -> l.contains("table=" + table + ","))
        .toList();
  }

  @Test
  void bothBridgesCompleteTheHandshakeWithTheirDatapathIdsAndPortNames() throws Exception {
    SwitchSession a = session(DPID_A);
    SwitchSession b = session(DPID_B);
    assertThat(a).isNotSameAs(b);
    for (SwitchSession s : List.of(a, b)) {
      assertThat(s.ports().numbers())
          .containsEntry("antrea-gw0", 2L)
          .containsEntry("frontend-a3ba2f", 6L)
          .containsEntry("br-int", 0xfffffffeL);
      assertThat(s.tableCount()).isEqualTo(254);
    }
    assertThat(a.remoteAddress()).contains("127.0.0.1");
    assertThat(server.sessions()).hasSizeGreaterThanOrEqualTo(2);
    // Both at once: barriers in parallel.
    CompletableFuture.allOf(a.barrier(), b.barrier()).get(30, TimeUnit.SECONDS);
  }

  @Test
  void barrierAndEchoWork() throws Exception {
    SwitchSession a = session(DPID_A);
    await(a.barrier());
    Duration rtt = await(a.echo());
    assertThat(rtt).isPositive();
  }

  @Test
  void portDescPortStatsAndGroupDescRepliesArriveComplete() throws Exception {
    SwitchSession b = session(DPID_B);
    List<byte[]> portDesc = await(b.multipart(Multipart.PORT_DESC));
    assertThat(portDesc.stream().mapToInt(x -> x.length).sum()).isEqualTo(3 * 64);
    assertThat(new String(portDesc.get(0), StandardCharsets.US_ASCII)).contains("antrea-gw0");

    List<byte[]> portStats =
        await(b.multipart(Multipart.PORT_STATS, Multipart::writeAllPortsStatsRequest));
    assertThat(portStats.stream().mapToInt(x -> x.length).sum()).isEqualTo(3 * 112);

    ovsB.ofctl("add-group", "br-int", "group_id=7,type=select,bucket=output:2,bucket=output:6");
    List<byte[]> groups = await(b.multipart(Multipart.GROUP_DESC));
    assertThat(groups).hasSize(1);
    assertThat(Unpooled.wrappedBuffer(groups.get(0)).getInt(4)).isEqualTo(7); // group_id
  }

  @Test
  void flowStatsWithNiciraActionsArriveCompleteAcrossManyReplies() throws Exception {
    SwitchSession b = session(DPID_B);
    ovsB.ofctl(
        "add-flow",
        "br-int",
        "table=0,priority=10,in_port=6,actions=load:0x1->NXM_NX_REG0[0..15],resubmit(,10)");
    ovsB.ofctl("add-flow", "br-int", "table=10,priority=5,reg0=0x1/0xffff,actions=output:2");
    StringBuilder many = new StringBuilder();
    for (int i = 0; i < 1500; i++) {
      many.append(
          String.format(
              "table=11,priority=100,ip,nw_src=10.%d.%d.1,actions=load:0x%x->NXM_NX_REG1[],"
                  + "resubmit(,12)%n",
              i / 250, i % 250, i));
    }
    ovsB.addFlows("br-int", many.toString());

    List<byte[]> bodies = await(b.multipart(Multipart.FLOW, Multipart::writeAllFlowsRequest));

    int entries = 0;
    for (byte[] body : bodies) {
      int offset = 0;
      while (offset < body.length) {
        int length = Unpooled.wrappedBuffer(body).getUnsignedShort(offset);
        assertThat(length).isPositive();
        offset += length;
        entries++;
      }
      assertThat(offset).as("entries fill each reply exactly").isEqualTo(body.length);
    }
    assertThat(bodies).as("OVS splits a large dump over several replies").hasSizeGreaterThan(1);
    assertThat(entries).isEqualTo(ovsB.dumpFlows("br-int").size());
    assertThat(entries).isGreaterThanOrEqualTo(1502);
    ovsB.ofctl("del-flows", "br-int", "table=11");
  }

  @Test
  void aBundleOfFlowModsCommitsAndDumpFlowsShowsIt() throws Exception {
    SwitchSession a = session(DPID_A);
    List<OutgoingMessage> flows = new ArrayList<>();
    for (int p = 1; p <= 20; p++) {
      flows.add(flowAdd(20, p, 30, 0x5));
    }
    BundleResult result = await(a.bundle(flows));
    assertThat(result.messages()).isEqualTo(20);
    assertThat(flowsInTable(ovsA, 20))
        .hasSize(20)
        .allSatisfy(l -> assertThat(l).contains("cookie=0x5").contains("goto_table:30"));
  }

  @Test
  void aBundleWithABadFlowFailsWithThatFlowsErrorAndChangesNothing() throws Exception {
    SwitchSession a = session(DPID_A);
    List<String> before = ovsA.dumpFlows("br-int");
    List<OutgoingMessage> flows =
        List.of(
            flowAdd(21, 1, 30, 0x21),
            flowAdd(40, 1, 30, 0x40), // goto_table to a lower table
            flowAdd(22, 1, 30, 0x22));

    Throwable t = failure(a.bundle(flows));

    System.out.println("[IT] decode-time bundle failure: " + t.getMessage());
    assertThat(t).isInstanceOf(BundleFailedException.class);
    BundleFailedException e = (BundleFailedException) t;
    assertThat(e.rejected())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.index()).isEqualTo(1);
              assertThat(r.error().context()).asString().contains("table=40");
              assertThat(r.error().getMessage()).contains(String.format("dpid=%016x", DPID_A));
            });
    assertThat(ovsA.dumpFlows("br-int")).containsExactlyInAnyOrderElementsOf(before);
    assertThat(asyncErrors).isEmpty();
    await(a.barrier()); // the session is still healthy
  }

  @Test
  void aFlowModToTable255InABundleIsRejectedAndNothingApplied() throws Exception {
    SwitchSession a = session(DPID_A);
    List<String> before = ovsA.dumpFlows("br-int");
    Throwable t = failure(a.bundle(List.of(flowAdd(23, 1, 30, 0x23), flowAdd(255, 1, 0, 0xff))));
    System.out.println("[IT] table 255 bundle failure: " + t.getMessage());
    BundleFailedException e = (BundleFailedException) t;
    assertThat(e.rejected()).singleElement().satisfies(r -> assertThat(r.index()).isEqualTo(1));
    assertThat(ovsA.dumpFlows("br-int")).containsExactlyInAnyOrderElementsOf(before);
  }

  @Test
  void aFlowFailingAtCommitIsCorrelatedAndTheCommitFails() throws Exception {
    SwitchSession a = session(DPID_A);
    await(a.bundle(List.of(flowAdd(24, 100, 30, 0x24))));
    List<String> before = ovsA.dumpFlows("br-int");
    // CHECK_OVERLAP is only checked when the flow is applied, i.e. at commit.
    OutgoingMessage overlapping =
        OutgoingMessage.ofLoxi(
            OF13.buildFlowAdd()
                .setTableId(TableId.of(24))
                .setPriority(100)
                .setFlags(Set.of(OFFlowModFlags.CHECK_OVERLAP))
                .setMatch(OF13.buildMatch().setExact(MatchField.IN_PORT, OFPort.of(6)).build())
                .setInstructions(List.of(OF13.instructions().gotoTable(TableId.of(30))))
                .build(),
            "table=24, priority=100, in_port=6 (check_overlap)");

    Throwable t = failure(a.bundle(List.of(flowAdd(25, 1, 30, 0x25), overlapping)));

    System.out.println("[IT] commit-time bundle failure: " + t.getMessage());
    BundleFailedException e = (BundleFailedException) t;
    assertThat(e.rejected())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.index()).isEqualTo(1);
              assertThat(r.error().error().codeName()).isEqualTo("OFPFMFC_OVERLAP");
            });
    assertThat(e.bundleError())
        .hasValueSatisfying(b -> assertThat(b.error().isBundleMessageFailed()).isTrue());
    assertThat(ovsA.dumpFlows("br-int")).containsExactlyInAnyOrderElementsOf(before);
  }

  @Test
  void aSwitchDisconnectingMidBundleKeepsItsPreviousFlows() throws Exception {
    SwitchSession a = session(DPID_A);
    await(a.bundle(List.of(flowAdd(26, 1, 30, 0x26))));
    List<String> before = ovsA.dumpFlows("br-int");
    List<OutgoingMessage> flows = new ArrayList<>();
    for (int p = 1; p <= 500; p++) {
      flows.add(flowAdd(27, p, 30, 0x27));
    }
    CompletableFuture<BundleResult> f = a.bundle(flows);
    a.disconnect("test: drop the connection mid-bundle");

    Throwable t = failure(f);
    assertThat(t).isInstanceOf(SwitchDisconnectedException.class);
    System.out.println("[IT] mid-bundle disconnect: " + t.getMessage());
    assertThat(ovsA.dumpFlows("br-int")).containsExactlyInAnyOrderElementsOf(before);

    // OVS reconnects by itself; a plain reconnect keeps the flows.
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (sessions.get(DPID_A) == a && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    SwitchSession again = session(DPID_A);
    assertThat(again).isNotSameAs(a);
    await(again.barrier());
    assertThat(ovsA.dumpFlows("br-int")).containsExactlyInAnyOrderElementsOf(before);
    assertThat(flowsInTable(ovsA, 27)).isEmpty();
    assertThat(disconnects).anyMatch(d -> d.contains("mid-bundle"));
  }

  /**
   * Why {@link SwitchSession#bundle} validates with a barrier before committing: OVS reports a
   * message it cannot decode when it is added, drops just that message, and a pipelined COMMIT then
   * applies the rest.
   */
  @Test
  void ovsCommitsTheRestOfABundleWhoseAddWasRejectedIfCommittedBlindly() throws Exception {
    SwitchSession a = session(DPID_A);
    int bundleId = 0x7777;
    int flags = BundleWire.FLAG_ATOMIC | BundleWire.FLAG_ORDERED;
    CompletableFuture<Void> open = a.send(control(bundleId, BundleWire.ControlType.OPEN_REQUEST));
    CompletableFuture<Void> good = a.send(bundleAdd(bundleId, flags, flowAdd(28, 1, 30, 0x28)));
    CompletableFuture<Void> bad = a.send(bundleAdd(bundleId, flags, flowAdd(41, 1, 30, 0x41)));
    CompletableFuture<Void> commit =
        a.send(control(bundleId, BundleWire.ControlType.COMMIT_REQUEST));
    await(a.barrier());

    assertThat(open).isCompleted();
    assertThat(good).isCompleted();
    assertThat(failure(bad)).hasMessageContaining("OFPBIC_BAD_TABLE_ID");
    assertThat(commit).as("the commit succeeds without the rejected message").isCompleted();
    assertThat(flowsInTable(ovsA, 28)).hasSize(1);
    ovsA.ofctl("del-flows", "br-int", "table=28");
  }

  private static OutgoingMessage control(int bundleId, BundleWire.ControlType type) {
    io.netty.buffer.ByteBuf b = Unpooled.buffer();
    BundleWire.writeControl(b, 0, bundleId, type, BundleWire.FLAG_ATOMIC | BundleWire.FLAG_ORDERED);
    return OutgoingMessage.ofBytes(io.netty.buffer.ByteBufUtil.getBytes(b), "bundle " + type);
  }

  /** A bundle add whose inner xid follows the outer one. */
  private static OutgoingMessage bundleAdd(int bundleId, int flags, OutgoingMessage inner) {
    return new OutgoingMessage() {
      @Override
      public int type() {
        return 4;
      }

      @Override
      public void encode(io.netty.buffer.ByteBuf out, int xid) {
        int start = BundleWire.writeAddHeader(out, xid, bundleId, flags);
        inner.encode(out, xid);
        dev.sluice.southbound.wire.OpenFlowWire.finishLength(out, start);
      }

      @Override
      public Object context() {
        return inner.context();
      }
    };
  }
}
