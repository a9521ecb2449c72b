package dev.sluice.controller.events;

/** The event source stopped because of a failure that retrying cannot fix. */
public final class EventSourceException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** With a message saying what to fix. */
  public EventSourceException(String message, Throwable cause) {
    super(message, cause);
  }
}
