package dev.sluice.compiler.compile;

import dev.sluice.compiler.pipeline.Cookie;

/** Object identities used in cookies: {@code Kind/namespace/name} hashed by {@link Cookie}. */
final class Ids {
  private Ids() {}

  static long node(String name) {
    return Cookie.objectId("Node//" + name);
  }

  static long pod(String namespace, String name) {
    return Cookie.objectId("Pod/" + namespace + "/" + name);
  }
}
