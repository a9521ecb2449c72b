package dev.sluice.southbound.channel;

import java.util.Objects;

/**
 * A port-status event ({@code OFPT_PORT_STATUS}).
 *
 * @param reason what happened to the port
 * @param port the port as it is now (for DELETE: as it was)
 */
public record PortStatus(Reason reason, PortDescription port) {
  /** {@code enum ofp_port_reason}. */
  public enum Reason {
    ADD,
    DELETE,
    MODIFY
  }

  public PortStatus {
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(port, "port");
  }
}
