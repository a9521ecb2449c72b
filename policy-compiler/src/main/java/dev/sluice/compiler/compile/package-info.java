/**
 * The compilers: cluster state in, per-node OpenFlow tables out. Pure and deterministic: the same
 * snapshot gives byte-identical flows, however it was reached.
 *
 * <p>The public surface is small: {@link dev.sluice.compiler.compile.CompiledCluster} (compile a
 * snapshot with {@code compileAll}, then one {@link dev.sluice.compiler.compile.Change} at a time
 * with {@code apply}), its inputs ({@link dev.sluice.compiler.compile.CompilerConfig}, {@link
 * dev.sluice.compiler.compile.PortSource}, {@link dev.sluice.compiler.compile.PortMap}) and its
 * outputs ({@link dev.sluice.compiler.compile.NodeFlows} per node, {@link
 * dev.sluice.compiler.flow.TableChanges} per changed node). Everything else is package-private.
 *
 * <h2>Inside</h2>
 *
 * <pre>
 *  Change ─▶ ClusterState.apply ─▶ DependencyIndex.changed ─▶ Dirty
 *                                                              │
 *        ┌─────────────────────────────────────────────────────┘
 *        ▼  each Feature recomputes the Units it owns
 *  PodConnectivityFeature  (NodeUnit, RouteUnit, PodUnit)      PodConnectivityCompiler
 *  ServiceFeature          (ServiceUnit)                       ServiceCompiler (kube-proxy mode)
 *  NetworkPolicyFeature    (IsolationUnit, RuleUnit; PodPatch) NetworkPolicyCompiler
 *        │  contributions per unit and node
 *        ▼
 *  DesiredFlowTable ─ merge per (table, priority, match) (FlowMerger) ─▶ NodeFlows per node
 *        └─ finish(): the keys touched since the last change ─▶ TableChanges per node
 * </pre>
 *
 * <h2>Adding a feature</h2>
 *
 * <ol>
 *   <li>Declare its tables in {@code pipeline.Table} (pipeline order, miss action), its register
 *       ranges in {@code pipeline.Registers} and its marks in {@code pipeline.Marks}, each with its
 *       bits and legal values, and the same rows in {@code docs/pipeline.md}.
 *   <li>Add a {@link dev.sluice.compiler.compile.Unit} record per kind of object it compiles, with
 *       its rank (sort order) and its provenance origin.
 *   <li>Implement {@link dev.sluice.compiler.compile.Feature}: emit every unit on {@code
 *       compileAll}, recompute the dirty ones on {@code recompute}; contribute flows only through
 *       the {@link dev.sluice.compiler.compile.DesiredFlowTable}.
 *   <li>Teach {@link dev.sluice.compiler.compile.DependencyIndex} and {@link
 *       dev.sluice.compiler.compile.Dirty} which changes dirty its units.
 *   <li>List it in {@code CompiledCluster}'s engine, and extend {@code IncrementalCompileTest}'s
 *       random changes so incremental == cold compile covers it.
 * </ol>
 */
@NullMarked
package dev.sluice.compiler.compile;

import org.jspecify.annotations.NullMarked;
