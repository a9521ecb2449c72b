package dev.sluice.controller.api;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One node ({@code GET /api/v1/nodes}): its switch, its flows and how far the events are realized
 * on it.
 *
 * @param name the node
 * @param connected whether its switch is connected
 * @param datapathId its switch's datapath id (null: no switch connected)
 * @param flowsDesired flows the node should hold
 * @param flowsInstalled flows its switch holds (null: no switch connected)
 * @param converged whether the switch holds exactly the desired flows
 * @param phase its reconciler's phase (null: no switch connected)
 * @param flowModsSent flow-mods sent since the controller started (across reconnections)
 * @param bundlesSent bundles committed since start
 * @param flowModsRejected flow-mods the switch rejected since start
 * @param realizedOffsets per {@code topic-partition}, the last offset realized on this node
 * @param consumedOffsets per {@code topic-partition}, the last offset consumed
 * @param pendingEvents events consumed but not realized on this node
 * @param lag per {@code topic-partition}, records not consumed yet
 */
public record NodeView(
    String name,
    boolean connected,
    @Nullable String datapathId,
    int flowsDesired,
    @Nullable Integer flowsInstalled,
    boolean converged,
    @Nullable String phase,
    long flowModsSent,
    long bundlesSent,
    long flowModsRejected,
    Map<String, Long> realizedOffsets,
    Map<String, Long> consumedOffsets,
    int pendingEvents,
    Map<String, Long> lag) {
  /** Copies the maps. */
  public NodeView {
    realizedOffsets = Wire.map(realizedOffsets);
    consumedOffsets = Wire.map(consumedOffsets);
    lag = Wire.map(lag);
  }
}
