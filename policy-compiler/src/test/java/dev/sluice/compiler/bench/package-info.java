/**
 * JMH benchmarks of the cluster model and the compilers (issue item 9), run by {@code
 * deploy/bench/compiler}; figures and commands are in {@code docs/benchmarks.md}. Scenario builders
 * are shared with the non-timed scaling tests of this package.
 */
package dev.sluice.compiler.bench;
