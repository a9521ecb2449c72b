package dev.sluice.compiler.cluster;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/** Small shared checks for record components. */
final class Names {
  private Names() {}

  static String requireName(String value, String what) {
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException(what + " is missing");
    }
    return value;
  }

  static Map<String, String> sortedCopy(Map<String, String> map) {
    return Collections.unmodifiableMap(new TreeMap<>(map));
  }

  /** {@code namespace/name}, or {@code name} for cluster-scoped objects. */
  static String key(String namespace, String name) {
    return namespace == null || namespace.isEmpty() ? name : namespace + "/" + name;
  }
}
