package dev.sluice.controller.api;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Immutable copies that keep the order the server wrote (offsets, lag, ports). */
final class Wire {
  private Wire() {}

  static <K, V> Map<K, V> map(Map<K, V> m) {
    return Collections.unmodifiableMap(new LinkedHashMap<>(m));
  }
}
