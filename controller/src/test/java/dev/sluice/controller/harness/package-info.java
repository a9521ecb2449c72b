/**
 * The controller harness shared by the controller's integration tests and benchmarks: the one place
 * that builds a test {@code ControllerConfig}, starts the packet-walk workers' switches pointed at
 * a controller, and waits for convergence.
 */
package dev.sluice.controller.harness;
