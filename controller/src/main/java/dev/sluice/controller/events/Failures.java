package dev.sluice.controller.events;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.InvalidOffsetException;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidGroupIdException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.UnsupportedVersionException;

/**
 * Sorts what the Kafka clients throw into the two things the event loop can do about it: stop with
 * a clear error, or back off and try again.
 */
enum Failures {
  /** Retrying cannot help (credentials, ACLs, versions, configuration): stop and say why. */
  FATAL,
  /** Transient (timeouts, disconnects, leader changes, rebalances): back off and retry. */
  RECOVERABLE;

  /** Classifies a failure, looking through {@link ExecutionException} wrappers. */
  static Failures classify(Throwable t) {
    Throwable e = unwrap(t);
    if (e instanceof AuthenticationException
        || e instanceof AuthorizationException
        || e instanceof UnsupportedVersionException
        || e instanceof ConfigException
        || e instanceof InvalidConfigurationException
        || e instanceof SerializationException
        || e instanceof InvalidTopicException
        || e instanceof InvalidGroupIdException
        || e instanceof FencedInstanceIdException
        || e instanceof ProducerFencedException
        || e instanceof OutOfOrderSequenceException
        || e instanceof RecordTooLargeException
        || e instanceof InvalidOffsetException) {
      return FATAL;
    }
    if (e instanceof RetriableException
        || e instanceof CommitFailedException
        || e instanceof RebalanceInProgressException) {
      return RECOVERABLE;
    }
    // Anything else is unexpected: continuing could mean skipping events silently.
    return FATAL;
  }

  /** The cause behind future wrappers. */
  static Throwable unwrap(Throwable t) {
    Throwable e = t;
    while ((e instanceof ExecutionException || e instanceof CompletionException)
        && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }
}
