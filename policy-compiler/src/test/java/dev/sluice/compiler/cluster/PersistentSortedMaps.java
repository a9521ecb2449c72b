package dev.sluice.compiler.cluster;

import java.util.Map;

/**
 * Test-only access to the package-private {@link PersistentSortedMap}, for the benchmark in {@code
 * dev.sluice.compiler.bench} that compares it with a library map.
 */
public final class PersistentSortedMaps {
  private PersistentSortedMaps() {}

  /** An empty map as an opaque handle. */
  public static Map<String, String> empty() {
    return PersistentSortedMap.empty();
  }

  /** {@code map} (from {@link #empty} or this method) with {@code key} mapped to {@code value}. */
  public static Map<String, String> plus(Map<String, String> map, String key, String value) {
    return ((PersistentSortedMap<String, String>) map).plus(key, value);
  }

  /** {@code map} without {@code key}. */
  public static Map<String, String> minus(Map<String, String> map, String key) {
    return ((PersistentSortedMap<String, String>) map).minus(key);
  }
}
