package dev.sluice.compiler.cluster;

import java.util.HashMap;
import java.util.Map;

/**
 * A Namespace: its name and labels. The label {@code kubernetes.io/metadata.name=<name>} is always
 * present, as the API server sets it on every namespace since Kubernetes 1.21, so a {@code
 * namespaceSelector} may select a namespace by name.
 *
 * @param name {@code metadata.name}
 * @param labels {@code metadata.labels} plus the implied name label, sorted by key
 */
public record NamespaceInfo(String name, Map<String, String> labels) {

  /** The label every namespace carries with its own name as value. */
  public static final String NAME_LABEL = "kubernetes.io/metadata.name";

  /** Adds the implied name label (overriding a conflicting value, as the API server does). */
  public NamespaceInfo {
    Names.requireName(name, "name");
    Map<String, String> all = new HashMap<>(labels);
    all.put(NAME_LABEL, name);
    labels = Names.sortedCopy(all);
  }

  /** A namespace known only by name (no Namespace object seen): just the implied label. */
  public static NamespaceInfo implied(String name) {
    return new NamespaceInfo(name, Map.of());
  }
}
