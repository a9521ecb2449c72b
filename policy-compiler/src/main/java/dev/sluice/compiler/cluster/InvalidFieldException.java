package dev.sluice.compiler.cluster;

/** A field of a manifest fails validation; carries the field path for {@link ManifestError}. */
final class InvalidFieldException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String field;

  InvalidFieldException(String field, String message) {
    super(message);
    this.field = field;
  }

  InvalidFieldException(String field, IllegalArgumentException cause) {
    super(cause.getMessage(), cause);
    this.field = field;
  }

  String field() {
    return field;
  }
}
