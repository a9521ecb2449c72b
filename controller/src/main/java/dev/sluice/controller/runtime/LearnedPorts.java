package dev.sluice.controller.runtime;

import dev.sluice.compiler.cluster.PodInfo;
import dev.sluice.compiler.compile.PortMap;
import dev.sluice.compiler.compile.PortSource;
import dev.sluice.southbound.channel.PortDescription;
import dev.sluice.southbound.channel.SwitchPorts;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Port numbers as the switches report them (PORT_DESC at connection, PORT_STATUS after). A node
 * whose switch has not connected has no pod ports yet (its pods get no flows until their veth is on
 * the bridge); its tunnel and gateway default to 1 and 2. Changed only on the state thread,
 * followed by {@link dev.sluice.compiler.compile.CompiledCluster#refreshPorts}.
 */
final class LearnedPorts implements PortSource {
  private static final PortMap NONE = new PortMap(Map.of());
  private final Map<String, PortMap> byNode = new ConcurrentHashMap<>();

  @Override
  public PortMap ports(String node, Collection<PodInfo> pods) {
    return byNode.getOrDefault(node, NONE);
  }

  @Override
  public boolean dependsOnPods(String node) {
    return false;
  }

  /** Records what a switch reports; returns whether the node's map changed. */
  boolean learn(String node, SwitchPorts ports) {
    PortMap now = of(ports);
    PortMap old = byNode.put(node, now);
    return !now.equals(old == null ? NONE : old);
  }

  /** The map of a switch's ports, leaving out reserved ports (LOCAL and the like). */
  static PortMap of(SwitchPorts ports) {
    Map<String, Long> m = new TreeMap<>();
    for (PortDescription p : ports.byNumber().values()) {
      if (p.number() >= 1 && p.number() <= 0xffffff00L) {
        m.put(p.name(), p.number());
      }
    }
    return new PortMap(m);
  }
}
