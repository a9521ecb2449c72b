/**
 * The controller harness shared by the controller's integration tests and benchmarks: the one place
 * that builds a test {@code ControllerConfig}, starts the packet-walk workers' switches pointed at
 * a controller, and waits for convergence; and {@link dev.sluice.controller.harness.Cli}, the one
 * way the tests run the {@code sluice} command line in-process and read what it printed.
 */
package dev.sluice.controller.harness;
