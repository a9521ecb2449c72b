package dev.sluice.controller.runtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.sluice.compiler.cluster.ObjectKey;
import dev.sluice.compiler.cluster.ObjectKind;
import dev.sluice.controller.api.ApiJson;
import java.io.IOException;
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

  /**
   * A matched request: the path's {@code {name}} values, the query, the body. Its accessors parse
   * parameters once, here at the boundary: a bad value is a 400 naming the parameter.
   */
  record Request(Map<String, String> path, Map<String, String> query, byte[] body) {
    /**
     * The object named by query parameter {@code param}, {@code NS/NAME} or {@code NAME} (in
     * namespace {@code default}, as {@code kubectl} reads it); empty when the parameter is missing
     * or empty.
     */
    Optional<ObjectKey> objectKey(String param, ObjectKind kind) {
      String v = query.get(param);
      if (v == null || v.isEmpty()) {
        return Optional.empty();
      }
      return Optional.of(parseObjectKey(param, kind, v));
    }

    /** The body as the API record {@code type}; a bad body is a 400 naming the field. */
    <T> T body(Class<T> type, String what) {
      try {
        return ApiJson.mapper().readValue(body, type);
      } catch (JsonProcessingException e) {
        throw ApiException.badRequest(what + ": bad body: " + e.getOriginalMessage());
      } catch (IOException e) {
        throw ApiException.badRequest(what + ": bad body: " + e.getMessage());
      }
    }
  }

  /**
   * {@code NS/NAME} or {@code NAME} (namespace {@code default}) as a {@code kind} key, or a 400.
   */
  static ObjectKey parseObjectKey(String param, ObjectKind kind, String value) {
    int slash = value.indexOf('/');
    String ns = slash < 0 ? "default" : value.substring(0, slash);
    String name = slash < 0 ? value : value.substring(slash + 1);
    try {
      return new ObjectKey(kind, ns, name);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(
          param + ": expected NAMESPACE/NAME of a " + kind.apiKind() + ", got '" + value + "'");
    }
  }

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
