/**
 * The controller runtime ({@code sluice controller}): the Kafka event source feeding a single state
 * thread that keeps the {@link dev.sluice.compiler.compile.CompiledCluster} current, one {@link
 * dev.sluice.controller.runtime.SwitchReconciler} per connected switch driving its tables from
 * installed to desired in atomic bundles, realization tracking, the HTTP API and metrics.
 *
 * <p>Threads: the event source's consumer thread hands every event to the state thread and waits
 * for the outcome (so a rejected object is dead-lettered); Netty's event loops only hand switch
 * events over; reconcilers run their rounds on a shared scheduler, at most one round per switch in
 * flight.
 */
@NullMarked
package dev.sluice.controller.runtime;

import org.jspecify.annotations.NullMarked;
