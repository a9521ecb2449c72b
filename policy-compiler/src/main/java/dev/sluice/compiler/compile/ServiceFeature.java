package dev.sluice.compiler.compile;

import dev.sluice.compiler.cluster.NodeInfo;
import dev.sluice.compiler.compile.Unit.ServiceUnit;
import dev.sluice.compiler.flow.Flow;
import java.util.List;
import java.util.Map;

/**
 * Services in kube-proxy mode ({@link ServiceCompiler}): one {@link ServiceUnit} per node, dirty
 * with the node (its gateway port may move). Services and Endpoints themselves produce no flows in
 * this mode; a Services-in-OVS feature would own per-Service units instead.
 */
final class ServiceFeature implements Feature {
  private final CompiledCluster.Engine cluster;

  ServiceFeature(CompiledCluster.Engine cluster) {
    this.cluster = cluster;
  }

  @Override
  public void compileAll(DesiredFlowTable flows) {
    for (NodeInfo n : cluster.state.nodes()) {
      flows.replace(new ServiceUnit(n.name()), unit(n.name()));
    }
  }

  @Override
  public void recompute(Dirty dirty, DesiredFlowTable flows) {
    for (String n : dirty.nodes) {
      flows.replace(new ServiceUnit(n), unit(n));
    }
  }

  private Map<String, List<Flow>> unit(String node) {
    NodeContext ctx = cluster.ctx(node);
    return ctx == null ? Map.of() : Map.of(node, ServiceCompiler.nodeFlows(ctx));
  }
}
