package dev.sluice.southbound.channel;

import java.time.Duration;
import java.util.Objects;

/**
 * Timing and flow-control settings of a {@link SwitchSession}.
 *
 * @param missSendLen {@code miss_send_len} sent in SET_CONFIG (0xffff = OFPCML_NO_BUFFER)
 * @param handshakeTimeout close a connection that has not finished the handshake by then ({@link
 *     HandshakeHandler}'s timer; 0 = no limit)
 * @param echoInterval send an echo request after this long without any message from the switch (the
 *     reader-idle time of Netty's {@code IdleStateHandler}; 0 = never)
 * @param echoTimeout close the connection when nothing (neither the echo reply nor anything else)
 *     arrives within this long of an echo request ({@link EchoKeepalive})
 * @param requestTimeout fail a request (barrier, multipart, bundle) with {@link
 *     DeadlineExceededException} when unanswered this long; multipart replies restart it
 * @param tickInterval how often the channel's event loop checks the request deadlines against its
 *     ticker (0 = never by itself; {@link SwitchSession#tick()} checks them at once)
 * @param writeBufferLow low water mark of the outbound buffer, bytes
 * @param writeBufferHigh high water mark: above it the channel is not writable and bundles wait
 */
public record SessionConfig(
    int missSendLen,
    Duration handshakeTimeout,
    Duration echoInterval,
    Duration echoTimeout,
    Duration requestTimeout,
    Duration tickInterval,
    int writeBufferLow,
    int writeBufferHigh) {
  public SessionConfig {
    Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
    Objects.requireNonNull(echoInterval, "echoInterval");
    Objects.requireNonNull(echoTimeout, "echoTimeout");
    Objects.requireNonNull(requestTimeout, "requestTimeout");
    Objects.requireNonNull(tickInterval, "tickInterval");
    if (missSendLen < 0 || missSendLen > 0xffff) {
      throw new IllegalArgumentException("missSendLen must be a u16: " + missSendLen);
    }
    if (writeBufferLow <= 0 || writeBufferHigh < writeBufferLow) {
      throw new IllegalArgumentException(
          "need 0 < writeBufferLow <= writeBufferHigh: " + writeBufferLow + ", " + writeBufferHigh);
    }
  }

  /**
   * Defaults: no buffering at the switch, 10 s handshake, echo after 5 s idle with 10 s timeout.
   */
  public static SessionConfig defaults() {
    return new SessionConfig(
        0xffff,
        Duration.ofSeconds(10),
        Duration.ofSeconds(5),
        Duration.ofSeconds(10),
        Duration.ofSeconds(30),
        Duration.ofMillis(250),
        256 * 1024,
        1024 * 1024);
  }

  public SessionConfig withTickInterval(Duration interval) {
    return new SessionConfig(
        missSendLen,
        handshakeTimeout,
        echoInterval,
        echoTimeout,
        requestTimeout,
        interval,
        writeBufferLow,
        writeBufferHigh);
  }

  public SessionConfig withEcho(Duration interval, Duration timeout) {
    return new SessionConfig(
        missSendLen,
        handshakeTimeout,
        interval,
        timeout,
        requestTimeout,
        tickInterval,
        writeBufferLow,
        writeBufferHigh);
  }

  public SessionConfig withRequestTimeout(Duration timeout) {
    return new SessionConfig(
        missSendLen,
        handshakeTimeout,
        echoInterval,
        echoTimeout,
        timeout,
        tickInterval,
        writeBufferLow,
        writeBufferHigh);
  }

  public SessionConfig withWriteBuffer(int low, int high) {
    return new SessionConfig(
        missSendLen,
        handshakeTimeout,
        echoInterval,
        echoTimeout,
        requestTimeout,
        tickInterval,
        low,
        high);
  }
}
