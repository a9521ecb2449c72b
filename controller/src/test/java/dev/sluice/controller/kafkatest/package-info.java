/**
 * Test support: a real Kafka 4.1 KRaft broker (combined broker + controller) inside the test JVM
 * ({@link dev.sluice.controller.kafkatest.EmbeddedKafka}) or as a separate process ({@link
 * dev.sluice.controller.kafkatest.LocalKafka}), built from the Maven Central {@code kafka_2.13}
 * jars. Test scope only: nothing here reaches {@code sluice.jar}.
 */
@NullMarked
package dev.sluice.controller.kafkatest;

import org.jspecify.annotations.NullMarked;
