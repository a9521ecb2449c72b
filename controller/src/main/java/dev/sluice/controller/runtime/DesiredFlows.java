package dev.sluice.controller.runtime;

import dev.sluice.compiler.compile.NodeFlows;
import dev.sluice.compiler.compile.PortMap;
import dev.sluice.compiler.flow.TableChanges;
import java.util.Objects;

/**
 * One node's desired tables as of a state version: what its reconciler drives the switch to, with
 * the compiler's tracked changes that lead to it from the node's previous snapshot.
 *
 * @param flows the compiled flows and groups
 * @param ports the port numbers they were compiled with (for printing)
 * @param seq the state version (incremented by every event and port change the state thread
 *     applies); acknowledging this snapshot realizes every event up to {@code seq} on the node
 * @param changes what turns the node's snapshot {@code baseSeq} into this one (the compiler's
 *     tracked changes); meaningless when {@code baseSeq} is {@link #NO_BASE}
 * @param baseSeq the seq of the snapshot {@code changes} start from, or {@link #NO_BASE} when they
 *     start from nothing known (the node's first snapshot, a port change): then only a full compare
 *     reaches this snapshot
 */
public record DesiredFlows(
    NodeFlows flows, PortMap ports, long seq, TableChanges changes, long baseSeq) {

  /** {@link #baseSeq} of a snapshot without usable tracked changes. */
  public static final long NO_BASE = -1;

  /** Validates. */
  public DesiredFlows {
    Objects.requireNonNull(flows);
    Objects.requireNonNull(ports);
    Objects.requireNonNull(changes);
    if (baseSeq != NO_BASE && (baseSeq < 0 || baseSeq >= seq)) {
      throw new IllegalArgumentException("base seq " + baseSeq + " is not before seq " + seq);
    }
  }

  /** A snapshot without tracked changes (reached by a full compare only). */
  public DesiredFlows(NodeFlows flows, PortMap ports, long seq) {
    this(flows, ports, seq, TableChanges.NONE, NO_BASE);
  }

  /** The node. */
  public String node() {
    return flows.node();
  }

  /** Whether {@link #changes} lead here from snapshot {@code seq}. */
  boolean tracksFrom(long seq) {
    return baseSeq != NO_BASE && baseSeq == seq;
  }
}
