package dev.sluice.controller.runtime;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The last {@value #CAPACITY} errors (rejected events, switch rejections, failed rounds) for {@code
 * GET /api/v1/errors}, oldest first. Thread-safe.
 */
final class ErrorRing {
  static final int CAPACITY = 200;

  private final ArrayDeque<Map<String, Object>> errors = new ArrayDeque<>();

  /** Adds one error of {@code kind} ({@code rejected}, {@code switch}, ...). */
  void add(String kind, String message) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("time", Instant.now().toString());
    e.put("kind", kind);
    e.put("message", message);
    synchronized (errors) {
      errors.addLast(e);
      while (errors.size() > CAPACITY) {
        errors.removeFirst();
      }
    }
  }

  /** The errors kept, oldest first. */
  List<Map<String, Object>> list() {
    synchronized (errors) {
      return List.copyOf(errors);
    }
  }
}
