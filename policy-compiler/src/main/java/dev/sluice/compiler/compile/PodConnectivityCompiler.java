package dev.sluice.compiler.compile;

import static dev.sluice.compiler.flow.FieldMatch.masked;

import dev.sluice.compiler.cluster.NodeInfo;
import dev.sluice.compiler.cluster.PodInfo;
import dev.sluice.compiler.flow.Action;
import dev.sluice.compiler.flow.CtState;
import dev.sluice.compiler.flow.Flow;
import dev.sluice.compiler.flow.Match;
import dev.sluice.compiler.flow.MatchField;
import dev.sluice.compiler.flow.OfPort;
import dev.sluice.compiler.flow.SubField;
import dev.sluice.compiler.pipeline.Cookie.Category;
import dev.sluice.compiler.pipeline.Marks;
import dev.sluice.compiler.pipeline.Registers;
import dev.sluice.compiler.pipeline.Table;
import java.util.ArrayList;
import java.util.List;

/**
 * Pod connectivity (Antrea {@code pipeline.go}): the pipeline skeleton of a node, the flows of each
 * local pod, and the routes to each remote node. Flows are exactly the seed's, including action
 * order.
 *
 * <ul>
 *   <li>{@link #nodeFlows}: table-miss flows; classifier for gateway and tunnel (table 0); gateway
 *       spoof guard (10); ARP {@code NORMAL} (20); {@code ct(table=31,zone=65520)} (30); gateway
 *       reply steering and invalid drop (31); established bypass (50, 90) and gateway probes (90);
 *       gateway L3/L2 (70, 80); commit (105) and output (110).
 *   <li>{@link #podFlows}: classifier (0), IP and ARP spoof guard (10), L3 to the pod with the
 *       virtual MAC in, MAC rewrite and {@code dec_ttl} (70), L2 (80).
 *   <li>{@link #remoteNodeFlows}: ARP responder for the remote gateway (20) and the route of its
 *       pod CIDR through the Geneve tunnel with {@code NXM_NX_TUN_IPV4_DST} = its InternalIP (70).
 * </ul>
 */
final class PodConnectivityCompiler {
  private PodConnectivityCompiler() {}

  /** Priorities (Antrea's priorityNormal/High/Low). */
  static final int PRIORITY_HIGH = 210;

  static final int PRIORITY_NORMAL = 200;
  static final int PRIORITY_LOW = 190;

  private static final SubField ETH_DST = SubField.whole(MatchField.ETH_DST);

  /** The node's own flows: skeleton, gateway and tunnel. */
  public static List<Flow> nodeFlows(NodeContext ctx) {
    NodeInfo node = ctx.node();
    long gwPort = ctx.ports().gateway();
    long tunPort = ctx.ports().tunnel();
    long def = ctx.cookie(Category.DEFAULT, 0);
    long gw = ctx.cookie(Category.DEFAULT, ctx.nodeObjectId());
    long gwMac = node.gatewayMac().bits();
    long gwIp = node.gatewayIp().toLong();
    List<Flow> out = new ArrayList<>();
    for (Table t : Table.values()) {
      Flow miss = t.missFlow(def);
      if (miss != null) {
        out.add(miss);
      }
    }
    // 0 Classifier
    out.add(
        flow(
            Table.CLASSIFIER,
            PRIORITY_NORMAL,
            gw,
            Match.builder().inPort(gwPort).build(),
            new Action.Load(Registers.SOURCE, Registers.FROM_GATEWAY),
            Table.SPOOF_GUARD.resubmit()));
    out.add(
        flow(
            Table.CLASSIFIER,
            PRIORITY_NORMAL,
            gw,
            Match.builder().inPort(tunPort).build(),
            new Action.Move(Registers.TUNNEL_TRACEFLOW, Registers.TRACEFLOW),
            new Action.Load(Registers.SOURCE, Registers.FROM_TUNNEL),
            new Action.Load(Registers.MAC_REWRITE, 1),
            Table.CONNTRACK.resubmit()));
    // 10 SpoofGuard: no IP check on the gateway (pod-to-Service and host traffic), ARP checked.
    out.add(
        flow(
            Table.SPOOF_GUARD,
            PRIORITY_NORMAL,
            gw,
            Match.builder().ip().inPort(gwPort).build(),
            Table.CONNTRACK.resubmit()));
    out.add(
        flow(
            Table.SPOOF_GUARD,
            PRIORITY_NORMAL,
            gw,
            Match.builder()
                .arp()
                .inPort(gwPort)
                .exact(MatchField.ARP_SPA, gwIp)
                .exact(MatchField.ARP_SHA, gwMac)
                .build(),
            Table.ARP_RESPONDER.resubmit()));
    // 20 ARPResponder: everything not answered for a remote gateway is switched normally.
    out.add(
        flow(
            Table.ARP_RESPONDER,
            PRIORITY_LOW,
            def,
            Match.builder().arp().build(),
            Action.Output.to(OfPort.NORMAL)));
    // 30 Conntrack
    out.add(
        flow(
            Table.CONNTRACK,
            PRIORITY_NORMAL,
            def,
            Match.builder().ip().build(),
            Action.Ct.track(Table.CONNTRACK_STATE.id(), Marks.CT_ZONE)));
    // 31 ConntrackState: replies of connections from the gateway go back to the gateway MAC.
    out.add(
        flow(
            Table.CONNTRACK_STATE,
            PRIORITY_HIGH,
            def,
            Match.builder()
                .add(notNewTracked())
                .exact(MatchField.CT_MARK, Marks.GATEWAY_CT_MARK)
                .ip()
                .add(masked(MatchField.REG0, Registers.FROM_GATEWAY, Registers.SOURCE.mask()))
                .build(),
            Table.DNAT.resubmit()));
    out.add(
        flow(
            Table.CONNTRACK_STATE,
            PRIORITY_NORMAL,
            gw,
            Match.builder()
                .add(notNewTracked())
                .exact(MatchField.CT_MARK, Marks.GATEWAY_CT_MARK)
                .ip()
                .build(),
            new Action.Load(ETH_DST, gwMac),
            Table.DNAT.resubmit()));
    out.add(
        Flow.of(
            Table.CONNTRACK_STATE.id(),
            PRIORITY_LOW,
            def,
            Match.builder()
                .add(
                    masked(
                        MatchField.CT_STATE, CtState.INV | CtState.TRK, CtState.INV | CtState.TRK))
                .ip()
                .build(),
            List.of()));
    // 50 / 90: established connections bypass policy; 90: the node's own probes bypass ingress.
    out.add(
        flow(
            Table.EGRESS_RULE,
            PRIORITY_HIGH,
            def,
            Match.builder().add(notNewEstablished()).ip().build(),
            Table.L3_FORWARDING.resubmit()));
    out.add(
        flow(
            Table.INGRESS_RULE,
            PRIORITY_HIGH,
            def,
            Match.builder().add(notNewEstablished()).ip().build(),
            Table.CONNTRACK_COMMIT.resubmit()));
    out.add(
        flow(
            Table.INGRESS_RULE,
            PRIORITY_HIGH,
            gw,
            Match.builder().ip().exact(MatchField.IPV4_SRC, gwIp).build(),
            Table.CONNTRACK_COMMIT.resubmit()));
    // 70 L3Forwarding: tunnelled traffic for the gateway itself.
    out.add(
        flow(
            Table.L3_FORWARDING,
            PRIORITY_NORMAL,
            gw,
            Match.builder()
                .ip()
                .exact(MatchField.ETH_DST, Marks.GLOBAL_VIRTUAL_MAC)
                .exact(MatchField.IPV4_DST, gwIp)
                .build(),
            new Action.SetField(MatchField.ETH_DST, gwMac),
            Table.L2_FORWARDING_CALC.resubmit()));
    // 80 L2ForwardingCalc: the gateway.
    out.add(
        flow(
            Table.L2_FORWARDING_CALC,
            PRIORITY_NORMAL,
            gw,
            Match.builder().exact(MatchField.ETH_DST, gwMac).build(),
            new Action.Load(Registers.OUT_PORT, gwPort),
            new Action.Load(Registers.DST_KNOWN, 1),
            Table.INGRESS_RULE.resubmit()));
    // 105 ConntrackCommit: mark connections from the gateway so replies return through it.
    out.add(
        flow(
            Table.CONNTRACK_COMMIT,
            PRIORITY_NORMAL,
            def,
            Match.builder()
                .add(newTracked())
                .ip()
                .add(masked(MatchField.REG0, Registers.FROM_GATEWAY, Registers.SOURCE.mask()))
                .build(),
            new Action.Ct(
                true,
                false,
                Table.L2_FORWARDING_OUT.id(),
                Marks.CT_ZONE,
                null,
                null,
                List.of(
                    new Action.Load(SubField.whole(MatchField.CT_MARK), Marks.GATEWAY_CT_MARK)))));
    out.add(
        flow(
            Table.CONNTRACK_COMMIT,
            PRIORITY_LOW,
            def,
            Match.builder().add(newTracked()).ip().build(),
            new Action.Ct(
                true, false, Table.L2_FORWARDING_OUT.id(), Marks.CT_ZONE, null, null, List.of())));
    // 110 L2ForwardingOut
    out.add(
        flow(
            Table.L2_FORWARDING_OUT,
            PRIORITY_NORMAL,
            def,
            Match.builder()
                .ip()
                .add(
                    masked(MatchField.REG0, Registers.DST_KNOWN.mask(), Registers.DST_KNOWN.mask()))
                .build(),
            new Action.OutputReg(Registers.OUT_PORT)));
    return out;
  }

  /** The flows of one local pod attached to {@code port}. */
  public static List<Flow> podFlows(NodeContext ctx, PodInfo pod, long port) {
    long c = ctx.cookie(Category.POD, Ids.pod(pod.namespace(), pod.name()));
    long gwMac = ctx.node().gatewayMac().bits();
    long ip = pod.ip().toLong();
    long mac = pod.mac().bits();
    return List.of(
        flow(
            Table.CLASSIFIER,
            PRIORITY_LOW,
            c,
            Match.builder().inPort(port).build(),
            new Action.Load(Registers.SOURCE, Registers.FROM_LOCAL_POD),
            Table.SPOOF_GUARD.resubmit()),
        flow(
            Table.SPOOF_GUARD,
            PRIORITY_NORMAL,
            c,
            Match.builder()
                .arp()
                .inPort(port)
                .exact(MatchField.ARP_SPA, ip)
                .exact(MatchField.ARP_SHA, mac)
                .build(),
            Table.ARP_RESPONDER.resubmit()),
        flow(
            Table.SPOOF_GUARD,
            PRIORITY_NORMAL,
            c,
            Match.builder()
                .ip()
                .inPort(port)
                .exact(MatchField.ETH_SRC, mac)
                .exact(MatchField.IPV4_SRC, ip)
                .build(),
            Table.CONNTRACK.resubmit()),
        flow(
            Table.L3_FORWARDING,
            PRIORITY_NORMAL,
            c,
            Match.builder()
                .ip()
                .exact(MatchField.ETH_DST, Marks.GLOBAL_VIRTUAL_MAC)
                .exact(MatchField.IPV4_DST, ip)
                .build(),
            new Action.SetField(MatchField.ETH_SRC, gwMac),
            new Action.SetField(MatchField.ETH_DST, mac),
            new Action.DecTtl(),
            Table.L2_FORWARDING_CALC.resubmit()),
        flow(
            Table.L2_FORWARDING_CALC,
            PRIORITY_NORMAL,
            c,
            Match.builder().exact(MatchField.ETH_DST, mac).build(),
            new Action.Load(Registers.OUT_PORT, port),
            new Action.Load(Registers.DST_KNOWN, 1),
            Table.INGRESS_RULE.resubmit()));
  }

  /** The flows on {@code ctx}'s node that reach {@code remote}'s pods and gateway. */
  public static List<Flow> remoteNodeFlows(NodeContext ctx, NodeInfo remote) {
    long c = ctx.cookie(Category.NODE, Ids.node(remote.name()));
    long remoteGw = remote.gatewayIp().toLong();
    long localGwMac = ctx.node().gatewayMac().bits();
    return List.of(
        flow(
            Table.ARP_RESPONDER,
            PRIORITY_NORMAL,
            c,
            Match.builder()
                .arp()
                .exact(MatchField.ARP_TPA, remoteGw)
                .exact(MatchField.ARP_OP, Marks.ARP_REQUEST)
                .build(),
            new Action.Move(SubField.whole(MatchField.ETH_SRC), ETH_DST),
            new Action.SetField(MatchField.ETH_SRC, Marks.GLOBAL_VIRTUAL_MAC),
            new Action.Load(SubField.whole(MatchField.ARP_OP), Marks.ARP_REPLY),
            new Action.Move(SubField.whole(MatchField.ARP_SHA), SubField.whole(MatchField.ARP_THA)),
            new Action.Load(SubField.whole(MatchField.ARP_SHA), Marks.GLOBAL_VIRTUAL_MAC),
            new Action.Move(SubField.whole(MatchField.ARP_SPA), SubField.whole(MatchField.ARP_TPA)),
            new Action.Load(SubField.whole(MatchField.ARP_SPA), remoteGw),
            Action.Output.to(OfPort.IN_PORT)),
        flow(
            Table.L3_FORWARDING,
            PRIORITY_NORMAL,
            c,
            Match.builder()
                .ip()
                .masked(
                    MatchField.IPV4_DST,
                    remote.podCidr().network().toLong(),
                    remote.podCidr().netmask().toLong())
                .build(),
            new Action.DecTtl(),
            new Action.SetField(MatchField.ETH_SRC, localGwMac),
            new Action.SetField(MatchField.ETH_DST, Marks.GLOBAL_VIRTUAL_MAC),
            new Action.Load(Registers.OUT_PORT, ctx.ports().tunnel()),
            new Action.Load(Registers.DST_KNOWN, 1),
            new Action.Load(SubField.whole(MatchField.TUN_DST), remote.internalIp().toLong()),
            Table.CONNTRACK_COMMIT.resubmit()));
  }

  static Flow flow(Table t, int priority, long cookie, Match m, Action... actions) {
    return Flow.of(t.id(), priority, cookie, m, List.of(actions));
  }

  private static dev.sluice.compiler.flow.FieldMatch notNewTracked() {
    return masked(MatchField.CT_STATE, CtState.TRK, CtState.NEW | CtState.TRK);
  }

  private static dev.sluice.compiler.flow.FieldMatch notNewEstablished() {
    return masked(MatchField.CT_STATE, CtState.EST, CtState.NEW | CtState.EST);
  }

  private static dev.sluice.compiler.flow.FieldMatch newTracked() {
    return masked(MatchField.CT_STATE, CtState.NEW | CtState.TRK, CtState.NEW | CtState.TRK);
  }
}
