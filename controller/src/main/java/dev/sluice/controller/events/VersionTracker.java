package dev.sluice.controller.events;

import dev.sluice.compiler.cluster.ObjectKey;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Detects stale or reordered updates per object. Kubernetes' {@code metadata.resourceVersion} is
 * opaque in principle but a decimal counter (etcd's revision) in practice: when the last seen and
 * the new version both parse as longs, a smaller new one is stale. Otherwise {@code
 * metadata.generation} (which counts spec changes) decides, when both are present. Objects without
 * either — hand-written manifests published by {@code sluice apply} — are never stale. An equal
 * version is not stale: applying the same object twice is idempotent.
 *
 * <p>A delete forgets the object: a compacted topic may have dropped the tombstone and everything
 * before it, so a controller reading it afresh would not know the old version either, and both must
 * end in the same state. Not thread-safe; used by the event-source thread.
 */
final class VersionTracker {
  private record Seen(@Nullable Long resourceVersion, @Nullable Long generation) {}

  private final Map<ObjectKey, Seen> seen = new HashMap<>();

  /** Why an update is stale, or empty if it is not. */
  Optional<String> staleness(
      ObjectKey key, @Nullable String resourceVersion, @Nullable Long generation) {
    Seen last = seen.get(key);
    if (last == null) {
      return Optional.empty();
    }
    Long rv = parse(resourceVersion);
    if (rv != null && last.resourceVersion() != null) {
      return rv < last.resourceVersion()
          ? Optional.of(
              "resourceVersion " + rv + " is older than " + last.resourceVersion() + " seen before")
          : Optional.empty();
    }
    if (generation != null && last.generation() != null && generation < last.generation()) {
      return Optional.of(
          "generation " + generation + " is older than " + last.generation() + " seen before");
    }
    return Optional.empty();
  }

  /** Remembers the version of an update that was taken. */
  void record(ObjectKey key, @Nullable String resourceVersion, @Nullable Long generation) {
    seen.put(key, new Seen(parse(resourceVersion), generation));
  }

  /** Forgets an object (it was deleted). */
  void forget(ObjectKey key) {
    seen.remove(key);
  }

  /** The number of objects tracked. */
  int size() {
    return seen.size();
  }

  private static @Nullable Long parse(@Nullable String v) {
    if (v == null || v.isEmpty() || v.length() > 19) {
      return null;
    }
    for (int i = 0; i < v.length(); i++) {
      if (v.charAt(i) < '0' || v.charAt(i) > '9') {
        return null;
      }
    }
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
