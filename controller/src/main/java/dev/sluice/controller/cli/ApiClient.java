package dev.sluice.controller.cli;

import dev.sluice.controller.api.ApiError;
import dev.sluice.controller.api.ApiJson;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A small client of the controller's HTTP API ({@code sluice status}, {@code apply --wait}, {@code
 * flows}, {@code audit}, {@code trace}, {@code policy why}). Every answer is read into the API's
 * record for it through {@link ApiJson}, as the server wrote it, so a field the client expects and
 * the server does not send (or the reverse) is an error naming the field, never a silent 0.
 */
final class ApiClient {
  private final String base;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  ApiClient(String hostPort) {
    this.base = "http://" + hostPort;
  }

  /**
   * GETs {@code path} and decodes the answer into the API's record {@code type} ({@link ApiJson}: a
   * field the record lacks, or one it needs that is missing, fails with an IOException naming it).
   */
  <T> T get(String path, Class<T> type) throws IOException, InterruptedException {
    return ApiJson.read(getBody(path), type);
  }

  /** Like {@link #get(String, Class)} for an answer that is a JSON array of {@code type}. */
  <T> List<T> getList(String path, Class<T> type) throws IOException, InterruptedException {
    return ApiJson.mapper()
        .readValue(
            getBody(path),
            ApiJson.mapper().getTypeFactory().constructCollectionType(List.class, type));
  }

  private String getBody(String path) throws IOException, InterruptedException {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    if (r.statusCode() != 200) {
      throw new IOException(message("GET", path, r));
    }
    return r.body();
  }

  /**
   * POSTs {@code body} (an API record, or nothing when null) as JSON and decodes the answer into
   * {@code type}, as {@link #get(String, Class)} does.
   */
  <T> T post(String path, @Nullable Object body, Class<T> type)
      throws IOException, InterruptedException {
    HttpRequest.BodyPublisher p =
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(ApiJson.mapper().writeValueAsString(body));
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(90))
                .header("Content-Type", "application/json")
                .POST(p)
                .build(),
            HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    if (r.statusCode() != 200) {
      throw new IOException(message("POST", path, r));
    }
    return ApiJson.read(r.body(), type);
  }

  /** The API's error text, or the HTTP status. */
  private String message(String method, String path, HttpResponse<String> r) {
    try {
      return ApiJson.read(r.body(), ApiError.class).error();
    } catch (IOException e) {
      // not JSON: fall through
    }
    return method + " " + base + path + ": HTTP " + r.statusCode() + ": " + r.body();
  }

  /** Pretty JSON of an API record, as the API writes it (what {@code --json} prints). */
  String pretty(Object value) {
    return ApiJson.pretty(value);
  }

  static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
