/**
 * A real Kafka 4.1 KRaft broker (combined broker + controller) inside the test JVM ({@link
 * dev.sluice.testkit.kafka.EmbeddedKafka}) or as a separate process ({@link
 * dev.sluice.testkit.kafka.LocalKafka}, what {@code deploy/kafka} runs for the lab and by hand),
 * built from the Maven Central {@code kafka_2.13} jars.
 *
 * <p>The Kafka dependency of the test kit is optional (policy-compiler and southbound ban Kafka,
 * even in tests): a module that uses this package declares {@code kafka_2.13} itself, in test
 * scope. Nothing here reaches {@code sluice.jar}.
 */
@NullMarked
package dev.sluice.testkit.kafka;

import org.jspecify.annotations.NullMarked;
