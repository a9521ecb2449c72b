package dev.sluice.southbound.channel;

import dev.sluice.southbound.wire.MessageType;

/**
 * A message the session did not handle: a type it has no use for, or one it tried to decode and
 * could not (Loxi throws on OVS messages carrying Nicira fields). Logged and handed to {@link
 * SwitchListener#unhandledMessage}; the connection stays open.
 *
 * @param version header version byte
 * @param type header type byte
 * @param xid header xid
 * @param bytes the whole message
 * @param reason why it was not handled (e.g. the decoder's error)
 */
public record UnknownMessage(int version, int type, int xid, byte[] bytes, String reason) {
  public UnknownMessage {
    bytes = bytes.clone();
  }

  @Override
  public byte[] bytes() {
    return bytes.clone();
  }

  @Override
  public String toString() {
    return String.format(
        "UnknownMessage[version=0x%02x, type=%s, xid=0x%08x, %d bytes: %s]",
        version, MessageType.nameOf(type), xid, bytes.length, reason);
  }
}
