package dev.sluice.controller.runtime;

import dev.sluice.controller.api.ControllerError;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;

/**
 * The last {@value #CAPACITY} errors (rejected events, switch rejections, failed rounds) for {@code
 * GET /api/v1/errors}, oldest first. Thread-safe.
 */
final class ErrorRing {
  static final int CAPACITY = 200;

  private final ArrayDeque<ControllerError> errors = new ArrayDeque<>();

  /** Adds one error of {@code kind} ({@code rejected}, {@code switch}, ...). */
  void add(String kind, String message) {
    ControllerError e = new ControllerError(Instant.now().toString(), kind, message);
    synchronized (errors) {
      errors.addLast(e);
      while (errors.size() > CAPACITY) {
        errors.removeFirst();
      }
    }
  }

  /** The errors kept, oldest first. */
  List<ControllerError> list() {
    synchronized (errors) {
      return List.copyOf(errors);
    }
  }
}
