/**
 * The compilers: cluster state in, per-node OpenFlow tables out. One compiler per feature ({@link
 * dev.sluice.compiler.compile.PodConnectivityCompiler}, {@link
 * dev.sluice.compiler.compile.ServiceCompiler}, {@link
 * dev.sluice.compiler.compile.NetworkPolicyCompiler}), composed by {@link
 * dev.sluice.compiler.compile.CompiledCluster}, which compiles a whole snapshot ({@link
 * dev.sluice.compiler.compile.CompiledCluster#compileAll}) or one change at a time ({@link
 * dev.sluice.compiler.compile.CompiledCluster#apply}) and yields an immutable, sorted {@link
 * dev.sluice.compiler.compile.NodeFlows} per node. Pure and deterministic: the same snapshot gives
 * byte-identical flows, however it was reached.
 */
@NullMarked
package dev.sluice.compiler.compile;

import org.jspecify.annotations.NullMarked;
