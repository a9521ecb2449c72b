package dev.sluice.southbound.channel;

import java.util.Objects;

/**
 * One port of a switch ({@code struct ofp_port}, OpenFlow 1.3.5 §7.2.1).
 *
 * @param number OpenFlow port number (u32; e.g. {@code 0xfffffffe} is LOCAL)
 * @param name interface name, e.g. {@code antrea-gw0}
 * @param hardwareAddress MAC address, {@code aa:bb:cc:dd:ee:ff}
 * @param config {@code OFPPC_*} bits
 * @param state {@code OFPPS_*} bits
 * @param currentSpeedKbps current bit rate in kbit/s
 */
public record PortDescription(
    long number,
    String name,
    String hardwareAddress,
    int config,
    int state,
    long currentSpeedKbps) {
  /** {@code OFPPS_LINK_DOWN}. */
  public static final int STATE_LINK_DOWN = 1;

  /** {@code OFPPC_PORT_DOWN}. */
  public static final int CONFIG_PORT_DOWN = 1;

  public PortDescription {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(hardwareAddress, "hardwareAddress");
    if (number < 0 || number > 0xffffffffL) {
      throw new IllegalArgumentException("port number out of u32 range: " + number);
    }
  }
}
