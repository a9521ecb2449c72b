package dev.sluice.compiler.compile;

import dev.sluice.compiler.flow.Action;
import dev.sluice.compiler.flow.Flow;
import dev.sluice.compiler.flow.Match;
import dev.sluice.compiler.flow.MatchField;
import dev.sluice.compiler.pipeline.Cookie.Category;
import dev.sluice.compiler.pipeline.Registers;
import dev.sluice.compiler.pipeline.Table;
import java.util.List;

/**
 * Services in the seed's kube-proxy mode: table 40 sends the whole Service CIDR to {@code
 * antrea-gw0} (destination MAC rewritten to the gateway's, reg1 = gateway port) and skips the
 * egress policy tables; kube-proxy DNATs on the host and the packet comes back through the gateway
 * addressed to a backend pod, where policy sees the real destination. Individual Services and
 * Endpoints therefore produce no flows in this mode.
 */
final class ServiceCompiler {
  private ServiceCompiler() {}

  /** The Service CIDR flow of a node. */
  public static List<Flow> nodeFlows(NodeContext ctx) {
    var cidr = ctx.config().serviceCidr();
    return List.of(
        Flow.of(
            Table.DNAT.id(),
            PodConnectivityCompiler.PRIORITY_NORMAL,
            ctx.cookie(Category.SERVICE, ctx.nodeObjectId()),
            Match.builder()
                .ip()
                .masked(MatchField.IPV4_DST, cidr.network().toLong(), cidr.netmask().toLong())
                .build(),
            List.of(
                new Action.SetField(MatchField.ETH_DST, ctx.node().gatewayMac().bits()),
                new Action.Load(Registers.OUT_PORT, ctx.ports().gateway()),
                new Action.Load(Registers.DST_KNOWN, 1),
                Table.CONNTRACK_COMMIT.resubmit())));
  }
}
