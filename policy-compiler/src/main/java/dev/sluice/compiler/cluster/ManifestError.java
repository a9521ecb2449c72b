package dev.sluice.compiler.cluster;

/**
 * A problem with one object, naming the object and the field, e.g. {@code pods.yaml#2: Pod
 * default/frontend: status.podIP: 10.222.1.47 is already used by Pod default/backend1}.
 *
 * @param source where the object came from: {@code <file>#<document index, 0-based>} (plus {@code
 *     /items[i]} inside a List), a Kafka coordinate, or empty
 * @param kind the object's {@code kind} (as written, even if unknown); empty if unreadable
 * @param namespace the object's namespace; empty for cluster-scoped or unreadable objects
 * @param name the object's name; empty if unreadable
 * @param field the offending field as a path ({@code spec.ingress[0].from[1].ipBlock.cidr}); empty
 *     when the whole document is at fault
 * @param message what is wrong, quoting the bad value
 * @param severity whether the object was rejected or applied with an unresolved reference
 */
public record ManifestError(
    String source,
    String kind,
    String namespace,
    String name,
    String field,
    String message,
    Severity severity) {

  /** Whether the object was applied. */
  public enum Severity {
    /**
     * The object (this version of it) was not applied; a previous valid version, if any, stays in
     * the state.
     */
    ERROR,
    /**
     * The object was applied, but a reference in it does not resolve (yet), e.g. a pod on a node
     * that is not known: it takes effect when the reference appears.
     */
    WARNING
  }

  /** Replaces nulls with empty strings. */
  public ManifestError {
    source = source == null ? "" : source;
    kind = kind == null ? "" : kind;
    namespace = namespace == null ? "" : namespace;
    name = name == null ? "" : name;
    field = field == null ? "" : field;
    message = message == null ? "" : message;
    if (severity == null) {
      throw new IllegalArgumentException("severity is required");
    }
  }

  /** The same error with another source. */
  public ManifestError withSource(String newSource) {
    return new ManifestError(newSource, kind, namespace, name, field, message, severity);
  }

  /** {@code Kind namespace/name} or {@code Kind name}. */
  public String objectName() {
    return (kind.isEmpty() ? "object" : kind) + " " + Names.key(namespace, name);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    if (!source.isEmpty()) {
      sb.append(source).append(": ");
    }
    if (severity == Severity.WARNING) {
      sb.append("warning: ");
    }
    sb.append(objectName()).append(": ");
    if (!field.isEmpty()) {
      sb.append(field).append(": ");
    }
    return sb.append(message).toString();
  }
}
