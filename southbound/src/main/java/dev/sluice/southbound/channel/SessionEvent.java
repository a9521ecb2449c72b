package dev.sluice.southbound.channel;

import java.util.Objects;

/**
 * User events the handlers of one connection pass down the pipeline to the session handler ({@link
 * SwitchSession}), which owns the connection's life: its reason for closing, the {@code ready} and
 * close futures and the listener callbacks.
 */
sealed interface SessionEvent {
  /**
   * FEATURES_REPLY arrived: from now on logs name the switch by its datapath id.
   *
   * @param datapathId the switch's datapath id
   * @param tableCount {@code n_tables}
   */
  record Features(long datapathId, int tableCount) implements SessionEvent {}

  /**
   * The handshake finished; {@link HandshakeHandler} has removed itself from the pipeline, and
   * every later message goes straight to the session.
   *
   * @param features the switch's identity
   * @param ports its ports from PORT_DESC, with the PORT_STATUS changes seen since
   */
  record Established(Features features, SwitchPorts ports) implements SessionEvent {
    public Established {
      Objects.requireNonNull(features, "features");
      Objects.requireNonNull(ports, "ports");
    }
  }

  /**
   * A handler gave up on the connection (handshake failure or timeout, dead peer). It fires this
   * first so the session records why, then closes the channel.
   *
   * @param reason why, for the log line that names the switch and for {@link
   *     SwitchSession#closeFuture()}
   */
  record Disconnect(String reason) implements SessionEvent {
    public Disconnect {
      Objects.requireNonNull(reason, "reason");
    }
  }
}
