package dev.sluice.southbound.channel;

/** Base of the exceptions a {@link SwitchSession} fails request futures with. */
public class OpenFlowException extends RuntimeException {
  private final String switchName;

  OpenFlowException(String switchName, String message, Throwable cause) {
    super(switchName + ": " + message, cause);
    this.switchName = switchName;
  }

  /** The switch, as the session names it (datapath id and remote address). */
  public String switchName() {
    return switchName;
  }
}
