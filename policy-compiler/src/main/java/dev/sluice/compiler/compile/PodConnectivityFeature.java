package dev.sluice.compiler.compile;

import dev.sluice.compiler.cluster.NodeInfo;
import dev.sluice.compiler.cluster.ObjectKey;
import dev.sluice.compiler.cluster.PodInfo;
import dev.sluice.compiler.compile.Unit.NodeUnit;
import dev.sluice.compiler.compile.Unit.PodUnit;
import dev.sluice.compiler.compile.Unit.RouteUnit;
import dev.sluice.compiler.flow.Flow;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * Pod connectivity ({@link PodConnectivityCompiler}): a {@link NodeUnit} per node (pipeline
 * skeleton, gateway, tunnel), a {@link RouteUnit} per ordered pair of nodes and a {@link PodUnit}
 * per attached pod with a port.
 */
final class PodConnectivityFeature implements Feature {
  private final CompiledCluster.Engine cluster;

  PodConnectivityFeature(CompiledCluster.Engine cluster) {
    this.cluster = cluster;
  }

  @Override
  public void compileAll(DesiredFlowTable flows) {
    List<NodeInfo> nodes = List.copyOf(cluster.state.nodes());
    for (NodeInfo n : nodes) {
      flows.replace(new NodeUnit(n.name()), nodeUnit(n.name()));
      for (NodeInfo m : nodes) {
        if (!m.name().equals(n.name())) {
          flows.replace(new RouteUnit(n.name(), m.name()), routeUnit(n.name(), m.name()));
        }
      }
    }
    for (TreeMap<String, PodInfo> pods : cluster.podsByNs.values()) {
      for (PodInfo p : pods.values()) {
        ObjectKey key = CompiledCluster.Engine.podKey(p);
        flows.replace(new PodUnit(key), podUnit(key));
      }
    }
  }

  @Override
  public void recompute(Dirty dirty, DesiredFlowTable flows) {
    for (String n : dirty.nodes) {
      flows.replace(new NodeUnit(n), nodeUnit(n));
    }
    for (RouteUnit r : dirty.routes) {
      flows.replace(r, routeUnit(r.node(), r.peer()));
    }
    for (ObjectKey key : dirty.pods) {
      flows.replace(new PodUnit(key), podUnit(key));
    }
  }

  private Map<String, List<Flow>> nodeUnit(String node) {
    NodeContext ctx = cluster.ctx(node);
    return ctx == null ? Map.of() : Map.of(node, PodConnectivityCompiler.nodeFlows(ctx));
  }

  private Map<String, List<Flow>> routeUnit(String node, String remote) {
    NodeContext ctx = cluster.ctx(node);
    Optional<NodeInfo> r = cluster.state.node(remote);
    if (ctx == null || r.isEmpty()) {
      return Map.of();
    }
    return Map.of(node, PodConnectivityCompiler.remoteNodeFlows(ctx, r.get()));
  }

  private Map<String, List<Flow>> podUnit(ObjectKey key) {
    PodInfo p = cluster.attachedPod(key);
    if (p == null) {
      return Map.of();
    }
    OptionalLong port = cluster.port(p);
    NodeContext ctx = cluster.ctx(p.nodeName());
    if (port.isEmpty() || ctx == null) {
      return Map.of();
    }
    return Map.of(p.nodeName(), PodConnectivityCompiler.podFlows(ctx, p, port.getAsLong()));
  }
}
