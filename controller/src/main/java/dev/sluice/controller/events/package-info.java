/**
 * The Kafka event stream (docs/design.md §3): cluster objects travel one topic per kind ({@link
 * dev.sluice.controller.events.TopicNames}), keyed {@code namespace/name} or {@code name} ({@link
 * dev.sluice.compiler.cluster.ObjectKey}), valued with the full object as JSON, deleted by
 * tombstones.
 *
 * <ul>
 *   <li>{@link dev.sluice.controller.events.TopicAdmin} creates the topics (compacted object
 *       topics; dead-letter, realization and audit topics with time retention).
 *   <li>{@link dev.sluice.controller.events.EventSource} is the controller's consumer loop: it
 *       hands every valid event with its {@link dev.sluice.controller.events.EventPosition} to a
 *       {@link dev.sluice.controller.events.ClusterEventSink}, commits offsets only after that,
 *       drops stale updates by {@code metadata.resourceVersion}/{@code generation}, dead-letters
 *       bad records ({@link dev.sluice.controller.events.DeadLetter}) and reports the startup
 *       barrier ({@link dev.sluice.controller.events.EventSource#caughtUp()}).
 *   <li>{@link dev.sluice.controller.events.Publisher} is the producer behind {@code sluice apply}
 *       and {@code sluice delete}.
 * </ul>
 */
@NullMarked
package dev.sluice.controller.events;

import org.jspecify.annotations.NullMarked;
