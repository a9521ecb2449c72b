package dev.sluice.southbound.channel;

/**
 * Receives a switch's lifecycle and asynchronous messages. Called on the session's event loop:
 * implementations must not block (hand work to another executor instead).
 */
public interface SwitchListener {
  /** The handshake finished: datapath id and ports are known and requests may be sent. */
  default void switchConnected(SwitchSession session) {}

  /** The connection of a session that had {@linkplain #switchConnected connected} closed. */
  default void switchDisconnected(SwitchSession session, String reason) {}

  /** A port was added, deleted or modified; {@link SwitchSession#ports()} already reflects it. */
  default void portStatus(SwitchSession session, PortStatus status) {}

  /** An {@code OFPT_PACKET_IN}, as the whole raw message. */
  default void packetIn(SwitchSession session, byte[] message) {}

  /** An error that answers no pending request (xid 0, or a request already completed). */
  default void asyncError(SwitchSession session, OpenFlowError error) {}

  /** A message the session did not handle or could not decode. */
  default void unhandledMessage(SwitchSession session, UnknownMessage message) {}
}
