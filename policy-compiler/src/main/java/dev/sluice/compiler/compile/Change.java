package dev.sluice.compiler.compile;

import dev.sluice.compiler.cluster.ObjectKey;
import dev.sluice.compiler.cluster.ObjectKind;
import io.fabric8.kubernetes.api.model.HasMetadata;

/** One change of the cluster: an object added or updated, or deleted. */
public sealed interface Change {

  /**
   * Add or replace {@code object} (the full new object, as a Kafka record carries it).
   *
   * @param object the object
   */
  record Upsert(HasMetadata object) implements Change {}

  /**
   * Delete an object.
   *
   * @param key its identity
   */
  record Delete(ObjectKey key) implements Change {}

  /** An add or update. */
  static Change upsert(HasMetadata object) {
    return new Upsert(object);
  }

  /** A delete. */
  static Change delete(ObjectKey key) {
    return new Delete(key);
  }

  /** A delete of {@code kind namespace/name} ({@code ""} namespace for cluster-scoped kinds). */
  static Change delete(ObjectKind kind, String namespace, String name) {
    return new Delete(new ObjectKey(kind, namespace, name));
  }
}
