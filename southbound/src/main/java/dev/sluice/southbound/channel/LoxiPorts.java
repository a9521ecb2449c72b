package dev.sluice.southbound.channel;

import java.util.EnumSet;
import org.projectfloodlight.openflow.protocol.OFPortConfig;
import org.projectfloodlight.openflow.protocol.OFPortDesc;
import org.projectfloodlight.openflow.protocol.OFPortState;
import org.projectfloodlight.openflow.protocol.OFPortStatus;
import org.projectfloodlight.openflow.protocol.ver13.OFPortConfigSerializerVer13;
import org.projectfloodlight.openflow.protocol.ver13.OFPortStateSerializerVer13;

/** Loxi's port messages as this package's value types (used by the handshake and the session). */
final class LoxiPorts {
  private LoxiPorts() {}

  static PortDescription description(OFPortDesc p) {
    return new PortDescription(
        p.getPortNo().getPortNumber() & 0xffffffffL,
        p.getName(),
        p.getHwAddr().toString(),
        OFPortConfigSerializerVer13.toWireValue(
            p.getConfig().isEmpty()
                ? EnumSet.noneOf(OFPortConfig.class)
                : EnumSet.copyOf(p.getConfig())),
        OFPortStateSerializerVer13.toWireValue(
            p.getState().isEmpty()
                ? EnumSet.noneOf(OFPortState.class)
                : EnumSet.copyOf(p.getState())),
        p.getCurrSpeed());
  }

  static PortStatus status(OFPortStatus loxi) {
    return new PortStatus(
        PortStatus.Reason.valueOf(loxi.getReason().name()), description(loxi.getDesc()));
  }
}
