package dev.sluice.southbound.channel;

import java.time.Duration;

/** A request got no (complete) answer from the switch within its deadline. */
public final class DeadlineExceededException extends OpenFlowException {
  private final int xid;

  DeadlineExceededException(String switchName, int xid, String what, Duration timeout) {
    super(
        switchName,
        String.format("%s (xid 0x%08x) got no reply within %d ms", what, xid, timeout.toMillis()),
        null);
    this.xid = xid;
  }

  public int xid() {
    return xid;
  }
}
