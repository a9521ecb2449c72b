/**
 * The controller runtime ({@code sluice controller}): Kafka events in, switches kept equal to the
 * compiled state. {@link dev.sluice.controller.runtime.Controller} only wires the parts below.
 *
 * <h2>One Pod event, class by class</h2>
 *
 * <ol>
 *   <li>{@link dev.sluice.controller.events.EventSource} (consumer thread) reads the record from
 *       the pods topic, parses it once into an {@link dev.sluice.compiler.cluster.ObjectKey} and a
 *       Pod, and hands it to the controller's {@link
 *       dev.sluice.controller.events.ClusterEventSink}, waiting for the verdict.
 *   <li>{@link dev.sluice.controller.runtime.StateLoop} (the {@code sluice-state} thread, sole
 *       owner of the {@link dev.sluice.compiler.compile.CompiledCluster}) applies it as a
 *       transaction: {@code CompiledCluster.apply} recompiles what the Pod touches and returns the
 *       tracked {@link dev.sluice.compiler.flow.TableChanges} of every changed node; the loop
 *       builds the new {@link dev.sluice.controller.runtime.DesiredFlows} of each (flows, plus the
 *       changes and the seq of the snapshot they start from), and only then commits: records the
 *       event in the {@link dev.sluice.controller.runtime.RealizationTracker}, publishes the
 *       snapshots and marks the nodes' reconcilers dirty. A rejection goes back to the event source
 *       (dead letter) and into the {@link dev.sluice.controller.runtime.ErrorRing}; a compiler
 *       exception restores the state before the event (a cold compile of the previous snapshot) and
 *       goes back as an "internal error" dead letter, nothing published.
 *   <li>{@link dev.sluice.controller.runtime.SwitchReconciler} (the reconciler scheduler) of the
 *       Pod's node starts a round: when the switch is known to hold exactly the snapshot the
 *       tracked changes start from, it sends those changes; otherwise (reconnect, audit, a skipped
 *       snapshot, a rejection, a port change) it compares the desired snapshot minus flows the
 *       switch rejected with its installed cache ({@code TableChanges.between}). Either is sent
 *       through {@link dev.sluice.controller.runtime.SwitchTables#apply} — {@link
 *       dev.sluice.controller.runtime.SessionTables} turns it into one OpenFlow bundle with {@link
 *       dev.sluice.southbound.tables.TableSync} on the {@link
 *       dev.sluice.southbound.channel.SwitchSession}. Events arriving meanwhile only mark it dirty.
 *   <li>On the commit the reconciler updates its cache and tells the controller: {@link
 *       dev.sluice.controller.runtime.AuditJournal} writes the {@code change} record to the {@link
 *       dev.sluice.controller.runtime.AuditLog} (logback rolling file, and the audit topic), and
 *       {@link dev.sluice.controller.runtime.RealizationPublisher} (on the state thread) marks the
 *       event realized on the node and publishes the {@code sluice.realization} record that {@code
 *       sluice apply --wait} reads.
 * </ol>
 *
 * <p>Switches: {@link dev.sluice.controller.runtime.SwitchMatcher} decides which node a connecting
 * switch serves (the {@code sluice.dev/datapath-id} annotation, else the configuration's switches
 * map), after the startup barrier and again on every Node change; {@link LearnedPorts} keeps the
 * port numbers switches report. {@link dev.sluice.controller.runtime.Auditor} audits a switch in
 * its reconciler's turn (after a pending round, never beside one, never before the barrier) and
 * repairs drift with one bundle. {@link dev.sluice.controller.runtime.ApiServer} and {@link
 * ControllerMetrics} read all of it.
 *
 * <p>Threads: the event source's consumer thread waits for the state thread; Netty's event loops
 * only hand switch events over to the state thread; reconcilers and auditors run on a shared
 * scheduler, at most one round or turn per switch in flight.
 */
@NullMarked
package dev.sluice.controller.runtime;

import org.jspecify.annotations.NullMarked;
