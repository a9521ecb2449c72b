package dev.sluice.controller.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.DisconnectException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.junit.jupiter.api.Test;

class FailuresTest {
  @Test
  void transientErrorsAreRecoverable() {
    assertThat(Failures.classify(new TimeoutException("t"))).isEqualTo(Failures.RECOVERABLE);
    assertThat(Failures.classify(new DisconnectException("d"))).isEqualTo(Failures.RECOVERABLE);
    assertThat(Failures.classify(new NotLeaderOrFollowerException("n")))
        .isEqualTo(Failures.RECOVERABLE);
    assertThat(Failures.classify(new UnknownTopicOrPartitionException("u")))
        .isEqualTo(Failures.RECOVERABLE);
    assertThat(Failures.classify(new CommitFailedException())).isEqualTo(Failures.RECOVERABLE);
    assertThat(Failures.classify(new ExecutionException(new TimeoutException("t"))))
        .isEqualTo(Failures.RECOVERABLE);
  }

  @Test
  void securityVersionAndUnknownErrorsAreFatal() {
    assertThat(Failures.classify(new TopicAuthorizationException("a"))).isEqualTo(Failures.FATAL);
    assertThat(Failures.classify(new GroupAuthorizationException("g"))).isEqualTo(Failures.FATAL);
    assertThat(Failures.classify(new SaslAuthenticationException("s"))).isEqualTo(Failures.FATAL);
    assertThat(Failures.classify(new UnsupportedVersionException("v"))).isEqualTo(Failures.FATAL);
    assertThat(Failures.classify(new KafkaException("?"))).isEqualTo(Failures.FATAL);
    assertThat(Failures.classify(new IllegalStateException("bug"))).isEqualTo(Failures.FATAL);
  }
}
