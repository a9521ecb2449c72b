/**
 * End-to-end benchmark harnesses against real Open vSwitch (run by {@code deploy/bench/push-rate};
 * figures in {@code docs/benchmarks.md}). Mains, not tests: timings never go into assertions.
 */
package dev.sluice.controller.bench;
