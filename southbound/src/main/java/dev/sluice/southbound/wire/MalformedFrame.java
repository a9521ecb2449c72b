package dev.sluice.southbound.wire;

import java.util.Objects;

/**
 * What {@link OpenFlowFrameDecoder} emits instead of a frame when the byte stream is not OpenFlow.
 * The stream cannot be resynchronised after it, so the receiver closes the connection.
 *
 * @param reason what was wrong, for the log line that names the switch
 */
public record MalformedFrame(String reason) {
  public MalformedFrame {
    Objects.requireNonNull(reason, "reason");
  }
}
