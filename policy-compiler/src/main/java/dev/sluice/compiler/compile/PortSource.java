package dev.sluice.compiler.compile;

import dev.sluice.compiler.cluster.PodInfo;
import java.util.Collection;
import java.util.Map;

/**
 * Where port numbers come from, per node: an explicit {@link PortMap} (file or learned from the
 * switch), else {@link PortMap#defaultNumbering}. With an explicit map, a pod whose interface is
 * not in it has no port yet and gets no flows (its veth is not attached to the bridge).
 */
public interface PortSource {

  /** The ports of {@code node} hosting {@code pods}. */
  PortMap ports(String node, Collection<PodInfo> pods);

  /** Whether the numbering of {@code node} depends on its pod set (default numbering). */
  boolean dependsOnPods(String node);

  /** Default numbering everywhere. */
  static PortSource defaultNumbering() {
    return explicit(Map.of());
  }

  /** Explicit maps for some nodes, default numbering for the others. */
  static PortSource explicit(Map<String, PortMap> maps) {
    Map<String, PortMap> copy = Map.copyOf(maps);
    return new PortSource() {
      @Override
      public PortMap ports(String node, Collection<PodInfo> pods) {
        PortMap m = copy.get(node);
        return m != null ? m : PortMap.defaultNumbering(pods);
      }

      @Override
      public boolean dependsOnPods(String node) {
        return !copy.containsKey(node);
      }
    };
  }
}
