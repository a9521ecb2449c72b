package dev.sluice.southbound.channel;

/** The connection to the switch closed before the request was answered. */
public final class SwitchDisconnectedException extends OpenFlowException {
  private final String reason;

  SwitchDisconnectedException(String switchName, String what, String reason) {
    super(switchName, what + " failed: connection closed (" + reason + ")", null);
    this.reason = reason;
  }

  /** Why the connection closed. */
  public String reason() {
    return reason;
  }
}
