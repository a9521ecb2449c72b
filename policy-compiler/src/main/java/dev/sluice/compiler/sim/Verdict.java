package dev.sluice.compiler.sim;

import dev.sluice.compiler.flow.MatchField;
import dev.sluice.compiler.flow.OfPort;
import dev.sluice.compiler.flow.PortNames;
import java.util.List;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Where the packet went: every output (port and the packet as it left), or, when there is none, why
 * it was dropped. A packet can be output several times (group buckets, several output actions,
 * several recirculations).
 */
public record Verdict(List<Output> outputs, @Nullable String dropReason) {

  /** What the verdict amounts to. */
  public enum Kind {
    /** At least one output to a port other than the controller. */
    OUTPUT,
    /** Only sent to the controller (packet-in). */
    CONTROLLER,
    /** No output at all. */
    DROP
  }

  /**
   * One output: the OpenFlow port (possibly reserved, e.g. {@link OfPort#CONTROLLER}), the packet
   * at that moment (so {@code tun_dst}, MACs and TTL are what the port sees), and the recirculation
   * pass and table that output it. {@code tunnelSet}: the pipeline wrote {@code tun_dst} (it is not
   * just the arriving packet's tunnel metadata).
   */
  public record Output(long port, Packet packet, int pass, int table, boolean tunnelSet) {
    /** {@code tun_dst} at output time (0 when none was set). */
    public long tunDst() {
      return packet.get(MatchField.TUN_DST);
    }

    public boolean toController() {
      return port == OfPort.CONTROLLER;
    }

    /**
     * {@code antrea-gw0 (port 2)}, {@code port 7}, {@code CONTROLLER}, plus {@code tun_dst} when
     * the pipeline set it.
     */
    public String format(PortNames ports) {
      String r = OfPort.reservedName(port);
      String name = ports.name(port);
      String s =
          r != null
              ? r
              : name != null ? name + " (port " + port + ")" : "port " + Long.toString(port);
      long tun = tunDst();
      if (tunnelSet && tun != 0) {
        s +=
            " with tun_dst="
                + ((tun >>> 24) & 0xff)
                + "."
                + ((tun >>> 16) & 0xff)
                + "."
                + ((tun >>> 8) & 0xff)
                + "."
                + (tun & 0xff);
      }
      return s;
    }
  }

  public Verdict {
    outputs = List.copyOf(outputs);
    if (outputs.isEmpty() && dropReason == null) {
      throw new IllegalArgumentException("a drop needs a reason");
    }
    if (!outputs.isEmpty()) {
      dropReason = null;
    }
  }

  public Kind kind() {
    if (outputs.isEmpty()) {
      return Kind.DROP;
    }
    return outputs.stream().allMatch(Output::toController) ? Kind.CONTROLLER : Kind.OUTPUT;
  }

  /** The output ports in order (reserved ports included). */
  public List<Long> ports() {
    return outputs.stream().map(Output::port).collect(Collectors.toUnmodifiableList());
  }

  /** {@code output to antrea-gw0 (port 2)}, {@code controller}, {@code drop (...)}. */
  public String format(PortNames ports) {
    if (outputs.isEmpty()) {
      return "drop (" + dropReason + ")";
    }
    return outputs.stream()
        .map(o -> o.toController() ? "controller" : "output to " + o.format(ports))
        .collect(Collectors.joining("; "));
  }
}
