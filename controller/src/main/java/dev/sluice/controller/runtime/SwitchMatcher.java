package dev.sluice.controller.runtime;

import dev.sluice.compiler.cluster.ClusterState;
import dev.sluice.compiler.cluster.NodeInfo;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Which node a switch serves: the Node annotated {@code sluice.dev/datapath-id} with the switch's
 * datapath id, else the configuration's {@code switches:} map (datapath id → node name). A switch
 * that matches no node, whose configured node does not exist, or whose node is already served by
 * another connected switch is left alone. Pure: the caller logs (once per session, see {@link
 * #warnOnce}).
 */
final class SwitchMatcher {

  /** The verdict for one switch. */
  sealed interface Outcome permits Matched, Unmatched {}

  /**
   * The switch serves {@code node}.
   *
   * @param how which rule matched, for the log
   */
  record Matched(String node, String how) implements Outcome {}

  /**
   * The switch is left alone.
   *
   * @param why what the log says after the switch's label
   * @param conflict whether another switch serves the node (an error, not a warning)
   */
  record Unmatched(String why, boolean conflict) implements Outcome {}

  /**
   * A connected switch serving a node.
   *
   * @param dpid its datapath id
   * @param label its label, for the log
   */
  record Served(long dpid, String label) {}

  private final Map<Long, String> switches;
  // Sessions already warned about; touched on the state thread only.
  private final Set<Object> warned = new java.util.HashSet<>();

  /**
   * @param switches the configuration's datapath id → node map
   */
  SwitchMatcher(Map<Long, String> switches) {
    this.switches = Map.copyOf(switches);
  }

  /**
   * Matches a switch.
   *
   * @param dpid its datapath id
   * @param dpidText the same as 16 hex digits, for the messages
   * @param state the cluster (its Nodes)
   * @param servedBy the connected switch serving a node, if any
   */
  Outcome match(
      long dpid, String dpidText, ClusterState state, Function<String, Optional<Served>> servedBy) {
    String node = null;
    String how = null;
    for (NodeInfo n : state.nodes()) {
      if (n.datapathId().isPresent() && n.datapathId().getAsLong() == dpid) {
        node = n.name();
        how = "annotation sluice.dev/datapath-id";
        break;
      }
    }
    if (node == null && switches.containsKey(dpid)) {
      node = switches.get(dpid);
      how = "the switches map of the configuration";
      if (state.node(node).isEmpty()) {
        return new Unmatched(
            "configured for node "
                + node
                + ", which does not exist (yet); leaving the switch alone",
            false);
      }
    }
    if (node == null) {
      return new Unmatched(
          "matches no node (no Node annotated sluice.dev/datapath-id="
              + dpidText
              + ", not in the switches map); leaving the switch alone",
          false);
    }
    Optional<Served> other = servedBy.apply(node);
    if (other.isPresent() && other.get().dpid() != dpid) {
      return new Unmatched(
          "node "
              + node
              + " is already served by "
              + other.get().label()
              + "; leaving this switch alone",
          true);
    }
    return new Matched(node, how);
  }

  /** Nodes that expect a switch: annotated with a datapath id or named in the switches map. */
  Set<String> expectedNodes(ClusterState state) {
    Set<String> expected = new TreeSet<>();
    for (NodeInfo n : state.nodes()) {
      if (n.datapathId().isPresent() || switches.containsValue(n.name())) {
        expected.add(n.name());
      }
    }
    return expected;
  }

  /** Whether to log about {@code session} now: true the first time until {@link #forget}. */
  boolean warnOnce(Object session) {
    return warned.add(session);
  }

  /** The session matched or left: its next problem is logged again. */
  void forget(Object session) {
    warned.remove(session);
  }
}
