/**
 * Verdict tests: compiled flows loaded into real Open vSwitch bridges (one per node, via {@link
 * dev.sluice.testkit.ovs.OvsNode}) and walked pod to pod with {@code ofproto/trace}, across the
 * Geneve tunnel when the destination is on another node; each verdict is checked against what
 * Kubernetes NetworkPolicy semantics require (hand-written truth tables) and against Sluice's
 * simulator.
 */
package dev.sluice.compiler.verdict;
