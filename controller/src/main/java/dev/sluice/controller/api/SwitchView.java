package dev.sluice.controller.api;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One connected switch ({@code GET /api/v1/switches}).
 *
 * @param datapathId its datapath id, 16 hex digits
 * @param remoteAddress where it connected from
 * @param ports port name → OpenFlow port number, as the switch reported them
 * @param node the node it is matched to (null: matched to none, its flows are left alone)
 * @param status its reconciler (null when it is matched to no node)
 */
public record SwitchView(
    String datapathId,
    String remoteAddress,
    Map<String, Long> ports,
    @Nullable String node,
    @Nullable SwitchStatus status) {
  /** Copies the map. */
  public SwitchView {
    ports = Wire.map(ports);
  }
}
