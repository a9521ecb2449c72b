package dev.sluice.compiler.compile;

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
   * @param kind its kind
   * @param namespace its namespace ({@code ""} for cluster-scoped kinds)
   * @param name its name
   */
  record Delete(ObjectKind kind, String namespace, String name) implements Change {}

  /** An add or update. */
  static Change upsert(HasMetadata object) {
    return new Upsert(object);
  }

  /** A delete. */
  static Change delete(ObjectKind kind, String namespace, String name) {
    return new Delete(kind, namespace, name);
  }
}
