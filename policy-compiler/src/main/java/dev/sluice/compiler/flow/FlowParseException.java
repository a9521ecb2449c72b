package dev.sluice.compiler.flow;

/** A flow or group line that cannot be read; the message quotes the offending part. */
public final class FlowParseException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public FlowParseException(String message) {
    super(message);
  }

  public FlowParseException(String message, Throwable cause) {
    super(message, cause);
  }
}
