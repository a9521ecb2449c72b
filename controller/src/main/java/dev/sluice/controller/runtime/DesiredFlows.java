package dev.sluice.controller.runtime;

import dev.sluice.compiler.compile.NodeFlows;
import dev.sluice.compiler.compile.PortMap;

/**
 * One node's desired tables as of a state version: what its reconciler drives the switch to.
 *
 * @param flows the compiled flows and groups
 * @param ports the port numbers they were compiled with (for printing)
 * @param seq the state version (incremented by every event and port change the state thread
 *     applies); acknowledging this snapshot realizes every event up to {@code seq} on the node
 */
public record DesiredFlows(NodeFlows flows, PortMap ports, long seq) {

  /** The node. */
  public String node() {
    return flows.node();
  }
}
