package dev.sluice.controller.runtime;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One endpoint of the API: method, path pattern and handler. A pattern is literal segments and
 * {@code {name}} segments that match one non-empty segment, e.g. {@code
 * /api/v1/nodes/{node}/flows}.
 */
record ApiRoute(String method, String pattern, Handler handler) {

  /** Answers a matched request. */
  interface Handler {
    /** The reply; failures are {@link ApiException}s. */
    ApiServer.Reply handle(Request request) throws java.io.IOException;
  }

  /** A matched request: the path's {@code {name}} values, the query, the body. */
  record Request(Map<String, String> path, Map<String, String> query, byte[] body) {}

  /** Checks the pattern. */
  ApiRoute {
    if (!pattern.startsWith("/")) {
      throw new IllegalArgumentException("pattern must start with /: " + pattern);
    }
  }

  /** The {@code {name}} values when {@code path} matches the pattern. */
  Optional<Map<String, String>> match(String path) {
    String[] want = pattern.substring(1).split("/", -1);
    String[] have = path.substring(path.startsWith("/") ? 1 : 0).split("/", -1);
    if (want.length != have.length) {
      return Optional.empty();
    }
    Map<String, String> vars = new LinkedHashMap<>();
    for (int i = 0; i < want.length; i++) {
      String w = want[i];
      if (w.startsWith("{") && w.endsWith("}")) {
        if (have[i].isEmpty()) {
          return Optional.empty();
        }
        vars.put(w.substring(1, w.length() - 1), have[i]);
      } else if (!w.equals(have[i])) {
        return Optional.empty();
      }
    }
    return Optional.of(vars);
  }

  /** The route for {@code method path}, or a 404 (no route has the path) or 405 ApiException. */
  static Map.Entry<ApiRoute, Map<String, String>> find(
      List<ApiRoute> routes, String method, String path) {
    List<String> allowed = new ArrayList<>();
    for (ApiRoute r : routes) {
      Optional<Map<String, String>> m = r.match(path);
      if (m.isPresent()) {
        if (r.method.equals(method)) {
          return Map.entry(r, m.get());
        }
        allowed.add(r.method);
      }
    }
    if (allowed.isEmpty()) {
      throw ApiException.notFound("no such endpoint: " + method + " " + path);
    }
    throw new ApiException(405, method + " " + path + ": only " + String.join(", ", allowed));
  }
}
