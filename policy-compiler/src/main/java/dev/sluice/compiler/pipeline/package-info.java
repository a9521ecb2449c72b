/**
 * The Antrea v0.9–v1.0 pipeline every node's {@code br-int} runs (docs/design.md §4): the {@link
 * dev.sluice.compiler.pipeline.Table tables} in pipeline order with their miss actions, the {@link
 * dev.sluice.compiler.pipeline.Registers registers} as named bit ranges, the {@link
 * dev.sluice.compiler.pipeline.Marks conntrack marks and constants}, and the {@link
 * dev.sluice.compiler.pipeline.Cookie cookie} layout with its {@link
 * dev.sluice.compiler.pipeline.Provenance provenance} registry.
 *
 * <p>Everything here is declared exactly once; compilers refer to it and never spell a table
 * number, register or mark themselves.
 */
@NullMarked
package dev.sluice.compiler.pipeline;

import org.jspecify.annotations.NullMarked;
