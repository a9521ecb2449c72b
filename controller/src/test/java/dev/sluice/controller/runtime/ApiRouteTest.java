package dev.sluice.controller.runtime;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.compiler.cluster.ObjectKey;
import dev.sluice.compiler.cluster.ObjectKind;
import dev.sluice.controller.api.ApiError;
import dev.sluice.controller.api.ApiJson;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApiRouteTest {
  private static final ApiRoute.Handler NONE = r -> ApiServer.Reply.json(Map.of());
  private static final List<ApiRoute> ROUTES =
      List.of(
          new ApiRoute("GET", "/api/v1/nodes", NONE),
          new ApiRoute("GET", "/api/v1/nodes/{node}/flows", NONE),
          new ApiRoute("GET", "/api/v1/audit", NONE),
          new ApiRoute("POST", "/api/v1/audit", NONE));

  @Test
  void aPatternBindsItsNamedSegments() {
    var m = ApiRoute.find(ROUTES, "GET", "/api/v1/nodes/worker1/flows");
    assertThat(m.getKey().pattern()).isEqualTo("/api/v1/nodes/{node}/flows");
    assertThat(m.getValue()).isEqualTo(Map.of("node", "worker1"));
  }

  @Test
  void literalsMatchExactlyAndANamedSegmentIsNeverEmpty() {
    assertThat(ROUTES.get(0).match("/api/v1/nodes")).contains(Map.of());
    assertThat(ROUTES.get(0).match("/api/v1/nodes/")).isEmpty();
    assertThat(ROUTES.get(1).match("/api/v1/nodes//flows")).isEmpty();
    assertThat(ROUTES.get(1).match("/api/v1/nodes/a/b/flows")).isEmpty();
  }

  @Test
  void theMethodChoosesBetweenRoutesOfOnePath() {
    assertThat(ApiRoute.find(ROUTES, "POST", "/api/v1/audit").getKey().method()).isEqualTo("POST");
    assertThat(ApiRoute.find(ROUTES, "GET", "/api/v1/audit").getKey().method()).isEqualTo("GET");
  }

  @Test
  void anUnknownPathIs404AndAWrongMethod405() {
    assertThatThrownBy(() -> ApiRoute.find(ROUTES, "GET", "/api/v1/nope"))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(404))
        .hasMessage("no such endpoint: GET /api/v1/nope");
    assertThatThrownBy(() -> ApiRoute.find(ROUTES, "DELETE", "/api/v1/nodes"))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(405))
        .hasMessageContaining("only GET");
  }

  @Test
  void anErrorIsOneJsonBodyWithItsStatus() throws Exception {
    ApiServer.Reply r = ApiServer.error(400, "view must be desired or installed");
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.contentType()).isEqualTo("application/json");
    assertThat(ApiJson.read(r.body(), ApiError.class))
        .isEqualTo(new ApiError("view must be desired or installed"));
    assertThatThrownBy(() -> new ApiException(200, "fine"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void anObjectParameterIsParsedOnceIntoAKeyOrIs400NamingIt() {
    ApiRoute.Request r =
        new ApiRoute.Request(
            Map.of(), Map.of("pod", "prod/web", "bare", "web", "empty", ""), new byte[0]);
    assertThat(r.objectKey("pod", ObjectKind.POD))
        .contains(new ObjectKey(ObjectKind.POD, "prod", "web"));
    // A bare name is in namespace default, as kubectl reads it.
    assertThat(r.objectKey("bare", ObjectKind.SERVICE))
        .contains(new ObjectKey(ObjectKind.SERVICE, "default", "web"));
    assertThat(r.objectKey("empty", ObjectKind.POD)).isEmpty();
    assertThat(r.objectKey("missing", ObjectKind.POD)).isEmpty();
    for (String bad : new String[] {"a/b/c", "/web", "prod/"}) {
      assertThatThrownBy(() -> ApiRoute.parseObjectKey("from", ObjectKind.POD, bad))
          .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(400))
          .hasMessage("from: expected NAMESPACE/NAME of a Pod, got '" + bad + "'");
    }
  }

  @Test
  void aBodyIsReadIntoItsRecordOrIs400NamingTheField() {
    byte[] extra = "{\"node\":\"w\",\"microflow\":\"m\",\"vew\":\"x\"}".getBytes(UTF_8);
    assertThatThrownBy(
            () ->
                new ApiRoute.Request(Map.of(), Map.of(), extra)
                    .body(dev.sluice.controller.api.TraceRequest.class, "trace"))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(400))
        .hasMessageStartingWith("trace: bad body: ")
        .hasMessageContaining("\"vew\"");
    byte[] partial = "{\"node\":\"w\",\"microflow\":\"m\"}".getBytes(UTF_8);
    assertThat(
            new ApiRoute.Request(Map.of(), Map.of(), partial)
                .body(dev.sluice.controller.api.TraceRequest.class, "trace"))
        .isEqualTo(new dev.sluice.controller.api.TraceRequest("w", "m", null, null));
  }
}
