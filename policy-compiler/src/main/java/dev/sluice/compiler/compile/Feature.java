package dev.sluice.compiler.compile;

/**
 * One compiler feature: it owns a set of {@link Unit} kinds, computes their flows and knows which
 * of them a change makes dirty. The engine ({@link CompiledCluster}) only keeps the shared cluster
 * indexes, turns a change into a {@link Dirty} set and asks every feature to recompute its part;
 * the {@link DesiredFlowTable} merges the contributions of all features.
 *
 * <p>Like Antrea's per-feature flow caches ({@code podCachedFlows}, {@code modifyFlows(cache, key,
 * flows)}), a feature replaces a unit's flows as a whole ({@link DesiredFlowTable#replace}); the
 * table works out what changed.
 */
interface Feature {

  /** Emits every unit of the snapshot (cold compile; the cluster indexes are built). */
  void compileAll(DesiredFlowTable flows);

  /** Recomputes the units of this feature that {@code dirty} names. */
  void recompute(Dirty dirty, DesiredFlowTable flows);
}
