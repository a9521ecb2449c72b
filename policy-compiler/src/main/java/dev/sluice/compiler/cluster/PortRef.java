package dev.sluice.compiler.cluster;

/**
 * A port given either as a number or as the name of a container port: Kubernetes' {@code
 * IntOrString} as used by {@code Service.spec.ports[].targetPort} and {@code
 * NetworkPolicy.spec.*.ports[].port}. A named reference is resolved per pod, against that pod's
 * {@code containers[].ports[].name}.
 */
public sealed interface PortRef permits PortRef.Number, PortRef.Named {

  /** A port number. */
  static PortRef of(int port) {
    return new Number(port);
  }

  /** A container-port name. */
  static PortRef named(String name) {
    return new Named(name);
  }

  /**
   * A numeric port, 1..65535.
   *
   * @param port the port number
   */
  record Number(int port) implements PortRef {
    /** Validates the range. */
    public Number {
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("port " + port + " is not in 1..65535");
      }
    }

    @Override
    public String toString() {
      return Integer.toString(port);
    }
  }

  /**
   * A named port; the name follows Kubernetes' IANA_SVC_NAME rule: 1..15 characters of {@code
   * [a-z0-9-]}, at least one letter, no leading, trailing or doubled hyphen.
   *
   * @param name the container-port name
   */
  record Named(String name) implements PortRef {
    /** Validates the name. */
    public Named {
      if (!isValidName(name)) {
        throw new IllegalArgumentException(
            "'"
                + name
                + "' is not a valid port name (IANA_SVC_NAME: 1-15 of [a-z0-9-], a letter,"
                + " no leading/trailing/double '-')");
      }
    }

    static boolean isValidName(String name) {
      return name != null
          && !name.isEmpty()
          && name.length() <= 15
          && name.matches("[a-z0-9]+(-[a-z0-9]+)*")
          && name.chars().anyMatch(c -> c >= 'a' && c <= 'z');
    }

    @Override
    public String toString() {
      return name;
    }
  }
}
