package dev.perennial.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.perennial.dev.testing.Listening;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Who may call predict and feedback, on the shared server ({@link ServingFixture}'s keys: {@code
 * test} of both scopes, {@code traffic} of predict, {@code labels} of feedback, the last configured
 * by its SHA-256), and where the actuator listens.
 */
class AuthenticationTest extends LiveServer {
  private static final String LABEL = "{\"requestId\":\"r-1\",\"label\":1}";

  @TempDir Path spool;

  /** A request to {@code endpoint} of {@link #MODEL} carrying {@code headers} (name, value...). */
  private static HttpResponse<String> call(String endpoint, String body, String... headers)
      throws Exception {
    return callAt(base, endpoint, body, headers);
  }

  /** As {@link #call}, to the server at {@code server}. */
  private static HttpResponse<String> callAt(
      String server, String endpoint, String body, String... headers) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(server + "/v1/models/" + MODEL + "/" + endpoint))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> bearer(String endpoint, String body, String key)
      throws Exception {
    return call(endpoint, body, "Authorization", "Bearer " + key);
  }

  /** Asserts an RFC 9457 problem of {@code status} with challenge {@code challenge}. */
  private static JsonNode refused(HttpResponse<String> r, int status, String challenge)
      throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(r.headers().firstValue("Content-Type").orElse(""))
        .startsWith("application/problem+json");
    assertThat(r.headers().firstValue("WWW-Authenticate")).hasValue(challenge);
    JsonNode problem = JSON.readTree(r.body());
    assertThat(problem.path("status").asInt()).isEqualTo(status);
    return problem;
  }

  @Test
  void withoutAKeyPredictAndFeedbackAre401() throws Exception {
    for (String endpoint : new String[] {"predict", "feedback"}) {
      JsonNode problem =
          refused(
              call(endpoint, endpoint.equals("predict") ? ROW : LABEL),
              401,
              "Bearer realm=\"perennial-serving\"");
      assertThat(problem.path("detail").asText())
          .isEqualTo(
              "this endpoint needs an API key: send Authorization: Bearer <key> (or X-API-Key:"
                  + " <key>)");
      assertThat(problem.path("title").asText()).isEqualTo("Unauthorized");
    }
    // Another scheme, an empty bearer and a blank X-API-Key present no key either.
    refused(call("predict", ROW, "Authorization", "Basic dGVzdDp0ZXN0"), 401, ApiKeyCheck.REALM);
    refused(call("predict", ROW, "Authorization", "Bearer "), 401, ApiKeyCheck.REALM);
    refused(call("predict", ROW, "X-API-Key", " "), 401, ApiKeyCheck.REALM);
    // A path no endpoint serves says nothing about itself without a key; with one it is a 404.
    HttpRequest.Builder nothing =
        HttpRequest.newBuilder(URI.create(base + "/v1/nothing"))
            .POST(HttpRequest.BodyPublishers.ofString("{}"));
    refused(
        HTTP.send(nothing.build(), HttpResponse.BodyHandlers.ofString()), 401, ApiKeyCheck.REALM);
    nothing.header("Authorization", "Bearer " + ServingFixture.PREDICT_KEY);
    assertThat(HTTP.send(nothing.build(), HttpResponse.BodyHandlers.ofString()).statusCode())
        .isEqualTo(404);
  }

  @Test
  void anUnknownKeyIs401InvalidToken() throws Exception {
    String challenge = "Bearer realm=\"perennial-serving\", error=\"invalid_token\"";
    String almost = ServingFixture.KEY.substring(0, ServingFixture.KEY.length() - 1) + "0";
    for (String key : new String[] {almost, ServingFixture.KEY + "x", "short"}) {
      JsonNode problem = refused(bearer("predict", ROW, key), 401, challenge);
      assertThat(problem.path("detail").asText())
          .isEqualTo("the API key is not one this server accepts");
    }
    // The SHA-256 a key is configured by is not itself a key.
    String digest = java.util.HexFormat.of().formatHex(ApiKeys.sha256(ServingFixture.FEEDBACK_KEY));
    refused(bearer("feedback", LABEL, digest), 401, challenge);
  }

  @Test
  void aKeyWithoutTheScopeIs403NamingTheScope() throws Exception {
    double before = refusals("scope", "feedback", "traffic");
    JsonNode problem =
        refused(
            bearer("feedback", LABEL, ServingFixture.PREDICT_KEY),
            403,
            "Bearer realm=\"perennial-serving\", error=\"insufficient_scope\","
                + " scope=\"feedback\"");
    assertThat(problem.path("scope").asText()).isEqualTo("feedback");
    assertThat(problem.path("detail").asText())
        .isEqualTo("the API key 'traffic' lacks the scope 'feedback' this endpoint needs");
    assertThat(refusals("scope", "feedback", "traffic") - before).isEqualTo(1);

    // The feedback key, configured by its SHA-256, may not predict.
    JsonNode predict =
        refused(
            call("predict", ROW, "X-API-Key", ServingFixture.FEEDBACK_KEY),
            403,
            "Bearer realm=\"perennial-serving\", error=\"insufficient_scope\", scope=\"predict\"");
    assertThat(predict.path("detail").asText())
        .isEqualTo("the API key 'labels' lacks the scope 'predict' this endpoint needs");
  }

  @Test
  void theRightKeysAreServed() throws Exception {
    HttpResponse<String> predicted = bearer("predict", ROW, ServingFixture.PREDICT_KEY);
    assertThat(predicted.statusCode()).as(predicted.body()).isEqualTo(200);
    String id = JSON.readTree(predicted.body()).path("requestId").asText();
    String label = "{\"requestId\":\"" + id + "\",\"label\":1}";
    assertThat(bearer("feedback", label, ServingFixture.FEEDBACK_KEY).statusCode()).isEqualTo(202);
    // The scheme is case-insensitive; X-API-Key is the other way to send a key.
    assertThat(call("predict", ROW, "Authorization", "bearer " + ServingFixture.KEY).statusCode())
        .isEqualTo(200);
    assertThat(call("feedback", label, "X-API-Key", ServingFixture.KEY).statusCode())
        .isEqualTo(202);
  }

  /** The refusals counted so far on the shared server with these tags. */
  private static double refusals(String reason, String scope, String key) {
    Counter counter =
        fixture
            .server()
            .getBean(MeterRegistry.class)
            .find("perennial.serving.auth.refused")
            .tags("reason", reason, "scope", scope, "key", key)
            .counter();
    return counter == null ? 0 : counter.count();
  }

  private static String scrape() throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(management + "/actuator/prometheus")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return r.body();
  }

  @Test
  void refusalsAreCountedByReasonWithoutSecrets() throws Exception {
    double missing = refusals("missing", "predict", "none");
    double unknown = refusals("unknown", "feedback", "none");
    call("predict", ROW);
    bearer("feedback", LABEL, "not-a-key-of-this-server-0123456789abcdef");
    assertThat(refusals("missing", "predict", "none") - missing).isEqualTo(1);
    assertThat(refusals("unknown", "feedback", "none") - unknown).isEqualTo(1);
    String scrape = scrape();
    assertThat(scrape)
        .containsPattern(
            "perennial_serving_auth_refused_total\\{key=\"none\",reason=\"missing\","
                + "scope=\"predict\"\\} [1-9]");
    assertThat(scrape)
        .doesNotContain(ServingFixture.KEY)
        .doesNotContain(ServingFixture.PREDICT_KEY)
        .doesNotContain("not-a-key-of-this-server");
  }

  @Test
  void theActuatorIsOnTheManagementPortOnly() throws Exception {
    assertThat(management).isNotEqualTo(base);
    HttpResponse<String> api =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(base + "/actuator/health")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(api.statusCode()).isEqualTo(404);
    HttpResponse<String> health =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(management + "/actuator/health")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(health.statusCode()).isEqualTo(200);
    // No key needed there: it is for the scraper and the probes, on loopback.
    assertThat(scrape()).contains("perennial_serving_");
  }

  @Test
  void theManagementPortListensOnLoopbackOnly() {
    assertThat(fixture.server().getEnvironment().getProperty("management.server.address"))
        .isEqualTo("127.0.0.1");
    int port = URI.create(management).getPort();
    assertThat(Listening.accepts(InetAddress.getLoopbackAddress(), port)).isTrue();
    Optional<InetAddress> other = Listening.nonLoopbackAddress();
    assumeTrue(other.isPresent(), "this machine has no address other than loopback");
    assertThat(Listening.accepts(other.get(), port)).as("reached at " + other.get()).isFalse();
  }

  /** What the shared server was started with, minus its keys, on other free ports. */
  private Map<String, Object> withoutKeys() {
    Map<String, Object> properties = new HashMap<>();
    properties.put("server.port", 0);
    properties.put("management.server.port", 0);
    properties.put("perennial.artifact-bucket", artifactBucket);
    properties.put("perennial.s3.endpoint", fixture.s3().endpoint());
    properties.put("perennial.s3.access-key", fixture.s3().settings().accessKey());
    properties.put("perennial.s3.secret-key", fixture.s3().settings().secretKey());
    properties.put("perennial.serving.spool-dir", spool);
    return properties;
  }

  @Test
  void withAuthenticationOnAndNoKeyTheServerRefusesToStart() {
    assertThatThrownBy(() -> ServingApplication.start(withoutKeys()).close())
        .rootCause()
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith(
            "perennial.serving.auth.enabled is true but perennial.serving.auth.keys is empty");
  }

  @Test
  void aKeyTooShortToBeRandomStopsStartUpWithoutShowingIt() {
    Map<String, Object> properties = withoutKeys();
    properties.put("perennial.serving.auth.keys[0].name", "checkout");
    properties.put("perennial.serving.auth.keys[0].secret", "hunter2");
    properties.put("perennial.serving.auth.keys[0].scopes", "predict");
    assertThatThrownBy(() -> ServingApplication.start(properties).close())
        .rootCause()
        .hasMessage(
            "perennial.serving.auth.keys[0].secret: key 'checkout' is shorter than 32 characters;"
                + " make one with `openssl rand -hex 32`");
  }

  @Test
  void withAuthenticationDisabledPredictAndFeedbackAreOpen() throws Exception {
    Map<String, Object> properties = withoutKeys();
    properties.put("perennial.serving.auth.enabled", false);
    try (ConfigurableApplicationContext open = ServingApplication.start(properties)) {
      String url =
          "http://127.0.0.1:" + ((WebServerApplicationContext) open).getWebServer().getPort();
      HttpResponse<String> predicted = callAt(url, "predict", ROW);
      assertThat(predicted.statusCode()).as(predicted.body()).isEqualTo(200);
      HttpResponse<String> labelled = callAt(url, "feedback", LABEL);
      assertThat(labelled.statusCode()).as(labelled.body()).isEqualTo(202);
    }
  }
}
