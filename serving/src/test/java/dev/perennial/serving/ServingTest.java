package dev.perennial.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.perennial.core.data.FeatureSchema;
import dev.perennial.core.data.FeatureSpec;
import dev.perennial.core.registry.ModelRegistry;
import dev.perennial.core.training.Trainers;
import dev.perennial.dev.s3.EmbeddedS3;
import dev.perennial.workflows.ObjectRef;
import dev.perennial.workflows.registry.AliasChange;
import dev.perennial.workflows.registry.Aliases;
import dev.perennial.workflows.training.Hyperparameters;
import dev.perennial.workflows.training.TrainedModel;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The model server against an embedded S3 holding two registered versions of a model. */
class ServingTest {
  @RegisterExtension static final EmbeddedS3 S3 = new EmbeddedS3();
  static final String MODEL = ServingFixture.MODEL;
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir static Path spool;
  static ServingFixture fixture;
  static ModelRegistry registry;
  static TrainedModel v1;
  static String base;
  static String artifactBucket;

  @BeforeAll
  static void start() {
    fixture = ServingFixture.start(S3, spool, Map.of("perennial.serving.max-batch-rows", 5));
    registry = fixture.registry();
    v1 = fixture.v1();
    base = fixture.base();
    artifactBucket = fixture.artifactBucket();
  }

  @AfterAll
  static void stop() {
    if (fixture != null) {
      fixture.close();
    }
  }

  record Answer(int status, JsonNode body) {}

  static Answer post(String model, String json) throws Exception {
    return post(model, json, null);
  }

  static Answer post(String model, String json, String entityKey) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + "/v1/models/" + model + "/predict"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json));
    if (entityKey != null) {
      request.header("X-Entity-Key", entityKey);
    }
    HttpResponse<String> r = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    return new Answer(r.statusCode(), JSON.readTree(r.body()));
  }

  static HttpResponse<String> feedback(String json) throws Exception {
    return feedback(MODEL, json);
  }

  static HttpResponse<String> feedback(String model, String json) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(base + "/v1/models/" + model + "/feedback"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /**
   * The value of {@code name} in the scrape on the series carrying every one of {@code labels} (as
   * {@code key="value"}); 0 when there is no such series yet.
   */
  private static double metric(String name, String... labels) throws Exception {
    double value = 0;
    for (String line : prometheus().split("\n")) {
      if (line.startsWith(name + "{")) {
        String series = line.substring(name.length(), line.lastIndexOf('}') + 1);
        if (java.util.Arrays.stream(labels).allMatch(series::contains)) {
          value = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        }
      }
    }
    return value;
  }

  /** The server's Prometheus scrape. */
  private static String prometheus() throws Exception {
    return HTTP.send(
            HttpRequest.newBuilder(URI.create(base + "/actuator/prometheus")).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  private static int servedVersion(String entityKey) throws Exception {
    return post(MODEL, ROW, entityKey).body().get("version").asInt();
  }

  /** Waits until the server has read the registry's current split (refresh every 200 ms). */
  private static void awaitRefresh() throws InterruptedException {
    Thread.sleep(800);
  }

  @Test
  void canaryTakesItsShareStickyPerEntityAndEndsCleanly() throws Exception {
    assertThat(registry.setTrafficSplit(MODEL, 2, 30, "canary step 1", "test")).isTrue();
    assertThat(registry.setTrafficSplit(MODEL, 2, 30, "again", "test")).as("no-op").isFalse();
    try {
      awaitRefresh();
      // 400 requests at 30 %: expect 120 on the canary, sd = sqrt(400 * 0.3 * 0.7) = 9.2;
      // [80, 160] is more than 4 sd either side.
      int canary = 0;
      for (int i = 0; i < 400; i++) {
        canary += servedVersion(null) == 2 ? 1 : 0;
      }
      assertThat(canary).isBetween(80, 160);

      // An entity stays on one version.
      int first = servedVersion("customer-7");
      for (int i = 0; i < 20; i++) {
        assertThat(servedVersion("customer-7")).isEqualTo(first);
      }
      // Across 300 entities the share holds too: expect 90, sd 7.9.
      int keyed = 0;
      for (int i = 0; i < 300; i++) {
        keyed += servedVersion("customer-" + i) == 2 ? 1 : 0;
      }
      assertThat(keyed).isBetween(58, 122);
    } finally {
      assertThat(registry.setTrafficSplit(MODEL, null, 0, "rollout over", "test")).isTrue();
    }
    awaitRefresh();
    for (int i = 0; i < 50; i++) {
      assertThat(servedVersion(null)).isEqualTo(1);
    }
    assertThat(registry.audit(MODEL))
        .filteredOn(e -> e.action() == dev.perennial.core.registry.AuditEntry.Action.SET_TRAFFIC)
        .extracting(e -> e.reason())
        .containsExactly("30 % to the canary: canary step 1", "0 % to the canary: rollout over");
  }

  @Test
  void predictionsAndFeedbackAreLoggedToS3() throws Exception {
    Answer a = post(MODEL, "{\"rows\":[" + ROW + "," + ROW + "]}", "customer-42");
    String requestId = a.body().get("requestId").asText();
    HttpResponse<String> labelled =
        feedback("{\"requestId\":\"" + requestId + "\",\"row\":1,\"label\":1}");
    assertThat(labelled.statusCode()).isEqualTo(202);
    HttpResponse<String> bad = feedback("{\"requestId\":\"x\",\"label\":2}");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).contains("label: must be 0 or 1, got 2");

    String today = java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString();
    long deadline = System.nanoTime() + 10_000_000_000L;
    String logged = "";
    while (!(logged.contains(requestId) && logged.contains("customer-42"))
        && System.nanoTime() < deadline) {
      Thread.sleep(100);
      logged = readAll("predictions/" + MODEL + "/dt=" + today + "/");
    }
    assertThat(logged).contains(requestId).contains("\"entityKey\":\"customer-42\"");
    String labels = "";
    while (!labels.contains(requestId) && System.nanoTime() < deadline) {
      Thread.sleep(100);
      labels = readAll("feedback/" + MODEL + "/dt=" + today + "/");
    }
    assertThat(labels).contains(requestId).contains("\"label\":1");
  }

  private static String readAll(String prefix) throws Exception {
    StringBuilder all = new StringBuilder();
    for (var object : S3.store().list(artifactBucket, prefix)) {
      try (var in =
          new java.util.zip.GZIPInputStream(S3.store().open(artifactBucket, object.key()))) {
        all.append(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
      }
    }
    return all.toString();
  }

  /** The prediction log's entries of {@code model} for today, one JSON object per line. */
  private static List<JsonNode> logged(String model) throws Exception {
    String today = LocalDate.now(ZoneOffset.UTC).toString();
    List<JsonNode> entries = new ArrayList<>();
    for (String line : readAll("predictions/" + model + "/dt=" + today + "/").split("\n")) {
      if (!line.isBlank()) {
        entries.add(JSON.readTree(line));
      }
    }
    return entries;
  }

  /** Waits (up to 10 s) until {@code count} entries of the request are in S3, and returns them. */
  private static List<JsonNode> awaitLogged(String model, String requestId, int count)
      throws Exception {
    long deadline = System.nanoTime() + 10_000_000_000L;
    List<JsonNode> found = List.of();
    while (found.size() < count && System.nanoTime() < deadline) {
      Thread.sleep(100);
      found =
          logged(model).stream()
              .filter(e -> requestId.equals(e.path("requestId").asText()))
              .toList();
    }
    assertThat(found).as("log entries of request " + requestId).hasSize(count);
    return found;
  }

  @Test
  void everyLoggedRowCarriesItsRequestsLatency() throws Exception {
    Answer a = post(MODEL, "{\"rows\":[" + ROW + "," + ROW + "," + ROW + "]}");
    assertThat(a.status()).isEqualTo(200);
    List<JsonNode> rows = awaitLogged(MODEL, a.body().get("requestId").asText(), 3);

    assertThat(rows).extracting(e -> e.get("row").asInt()).containsExactlyInAnyOrder(0, 1, 2);
    for (JsonNode row : rows) {
      assertThat(row.get("latencyMs").isFloatingPointNumber()).as("latencyMs is a double").isTrue();
      assertThat(row.get("latencyMs").asDouble()).isGreaterThanOrEqualTo(0);
      assertThat(row.has("error")).isFalse();
      assertThat(row.get("version").asInt()).isEqualTo(a.body().get("version").asInt());
    }
    assertThat(rows)
        .as("one figure for the whole request")
        .extracting(e -> e.get("latencyMs").asDouble())
        .containsOnly(rows.get(0).get("latencyMs").asDouble());
  }

  /**
   * A version whose stored feature schema disagrees with its bundle: the schema calls {@code age} a
   * category, the bundle's encoder reads it as a number. The server accepts {@code
   * {"age":"forty"}}, as the schema allows, and the bundle throws while scoring it: the version
   * failed, not the client.
   */
  @Test
  void aRequestTheModelFailsIsAnswered500AndLoggedAsAnErrorOfItsVersion() throws Exception {
    String broken = "credit-default-broken";
    String runId = "schema-disagrees";
    FeatureSchema schema =
        FeatureSchema.fromJson(
            S3.store()
                .read(v1.featureSchema().bucket(), v1.featureSchema().key())
                .orElseThrow()
                .bytes());
    FeatureSchema disagreeing =
        new FeatureSchema(
            schema.name(),
            schema.label(),
            schema.features().stream()
                .map(
                    f ->
                        f.name().equals("age")
                            ? FeatureSpec.categorical("age", List.of("forty"), null)
                            : f)
                .toList());
    var stored =
        S3.store()
            .put(
                artifactBucket,
                "runs/" + broken + "/" + runId + "/feature-schema.json",
                disagreeing.toJson(),
                "application/json");
    TrainedModel mismatched =
        new TrainedModel(
            v1.model(),
            v1.hyperparameters(),
            new ObjectRef(stored.bucket(), stored.key(), stored.sha256(), stored.size()),
            v1.referenceProfile(),
            v1.trainingRows(),
            v1.validationMetrics(),
            v1.codeVersion());
    int version =
        fixture.register(broken, mismatched, Hyperparameters.LOGISTIC_REGRESSION, runId).version();
    registry.setAlias(new AliasChange(broken, Aliases.CHAMPION, version, "test", "test"));

    Answer refused = post(broken, "{\"age\":41}");
    assertThat(refused.status()).as("the schema wants a string").isEqualTo(400);

    Answer failed = post(broken, "{\"age\":\"forty\"}");
    assertThat(failed.status()).isEqualTo(500);
    String error = failed.body().get("error").asText();
    assertThat(error).startsWith("NumberFormatException: ").contains("forty");
    String requestId = failed.body().get("requestId").asText();
    assertThat(requestId).hasSize(36);

    JsonNode entry = awaitLogged(broken, requestId, 1).get(0);
    assertThat(entry.get("model").asText()).isEqualTo(broken);
    assertThat(entry.get("version").asInt()).isEqualTo(version);
    assertThat(entry.get("error").asText()).isEqualTo(error);
    assertThat(entry.get("latencyMs").isFloatingPointNumber()).isTrue();
    assertThat(entry.get("latencyMs").asDouble()).isGreaterThanOrEqualTo(0);
    assertThat(entry.has("row") || entry.has("probability") || entry.has("label")).isFalse();
    assertThat(logged(broken)).as("the refused request is not logged").hasSize(1);

    String prometheus = prometheus();
    assertThat(prometheus)
        .containsPattern(
            "perennial_serving_requests_total\\{[^}]*model=\""
                + broken
                + "\"[^}]*outcome=\"error\"[^}]*version=\""
                + version
                + "\"[^}]*\\} 1\\.0")
        .containsPattern(
            "perennial_serving_requests_total\\{[^}]*model=\""
                + broken
                + "\"[^}]*outcome=\"refused\"[^}]*\\} 1\\.0");
  }

  /** {@code perennial.serving.max-request-bytes} as application.yaml has it; this test keeps it. */
  static final int MAX_REQUEST_BYTES = 1_048_576;

  /**
   * A valid one-row request of exactly {@code bytes} bytes: whitespace, then the row, so the parser
   * has to read all of it.
   */
  private static byte[] rowOfSize(int bytes) {
    return (" ".repeat(bytes - ROW.length()) + ROW).getBytes(StandardCharsets.UTF_8);
  }

  /** Posts {@code body} with its Content-Length, or chunked without one. */
  private static Answer postBytes(String path, byte[] body, boolean chunked) throws Exception {
    HttpRequest.BodyPublisher publisher =
        chunked
            ? HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))
            : HttpRequest.BodyPublishers.ofByteArray(body);
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json")
                .POST(publisher)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return new Answer(r.statusCode(), JSON.readTree(r.body()));
  }

  @Test
  void bodiesOverTheSizeLimitAreRefusedBeforeTheyAreParsed() throws Exception {
    String predict = "/v1/models/" + MODEL + "/predict";
    Answer declared = postBytes(predict, rowOfSize(MAX_REQUEST_BYTES + 1), false);
    assertThat(declared.status()).isEqualTo(413);
    assertThat(declared.body().get("error").asText())
        .isEqualTo(
            "request body is 1048577 bytes, more than the 1048576 this server accepts"
                + " (perennial.serving.max-request-bytes)");

    Answer chunked = postBytes(predict, rowOfSize(MAX_REQUEST_BYTES + 1), true);
    assertThat(chunked.status()).isEqualTo(413);
    assertThat(chunked.body().get("error").asText())
        .isEqualTo(
            "request body is more than the 1048576 bytes this server accepts"
                + " (perennial.serving.max-request-bytes)");

    Answer feedback =
        postBytes("/v1/models/" + MODEL + "/feedback", rowOfSize(MAX_REQUEST_BYTES + 1), true);
    assertThat(feedback.status()).as("the limit holds for all of /v1").isEqualTo(413);

    Answer malformed = postBytes(predict, "{\"age\":".getBytes(StandardCharsets.UTF_8), true);
    assertThat(malformed.status()).as("other unreadable bodies stay 400").isEqualTo(400);
  }

  @Test
  void bodiesUpToTheSizeLimitAreServed() throws Exception {
    String predict = "/v1/models/" + MODEL + "/predict";
    Answer declared = postBytes(predict, rowOfSize(MAX_REQUEST_BYTES), false);
    assertThat(declared.status()).isEqualTo(200);
    assertThat(declared.body().get("predictions")).hasSize(1);
    Answer chunked = postBytes(predict, rowOfSize(MAX_REQUEST_BYTES), true);
    assertThat(chunked.status()).isEqualTo(200);
    assertThat(chunked.body().get("predictions")).hasSize(1);
  }

  @Test
  void theRegistryRefusesSplitsThatCannotServe() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> registry.setTrafficSplit(MODEL, 9, 10, "x", "test"))
        .hasMessageContaining("has no version 9");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> registry.setTrafficSplit(MODEL, 2, 0, "x", "test"))
        .hasMessageContaining("needs a share above 0 %");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> registry.setTrafficSplit(MODEL, 2, 101, "x", "test"))
        .hasMessageContaining("between 0 and 100");
  }

  static final String ROW = ServingFixture.ROW;

  @Test
  void scoresARowWithTheChampionExactlyAsTheBundleDoes() throws Exception {
    Answer a = post(MODEL, ROW);
    assertThat(a.status()).isEqualTo(200);
    assertThat(a.body().get("version").asInt()).isEqualTo(1);
    assertThat(a.body().get("requestId").asText()).hasSize(36);
    var bundle =
        Trainers.onClassPath()
            .codec()
            .deserialize(
                S3.store().read(v1.model().bucket(), v1.model().key()).orElseThrow().bytes(),
                v1.model());
    Map<String, Object> row = new java.util.HashMap<>();
    row.put("age", 41.0);
    row.put("income", 52000.0);
    row.put("utilization", 0.93);
    row.put("late_payments_12m", 3.0);
    row.put("region", "south");
    row.put("employment_type", "contractor");
    double expected = bundle.predictProba(row);
    JsonNode p = a.body().get("predictions").get(0);
    assertThat(p.get("probability").asDouble()).isCloseTo(expected, within(1e-12));
    assertThat(p.get("label").asInt()).isEqualTo(expected >= 0.5 ? 1 : 0);
  }

  @Test
  void batchesAnswerRowByRow() throws Exception {
    Answer a = post(MODEL, "{\"rows\":[" + ROW + ",{\"age\":25},{\"region\":\"north\"}]}");
    assertThat(a.status()).isEqualTo(200);
    assertThat(a.body().get("predictions")).hasSize(3);
  }

  static void assertRefused(Answer a, String field, String detail) {
    assertThat(a.status()).isEqualTo(400);
    assertThat(a.body().path("status").asInt()).isEqualTo(400);
    if (field == null) {
      assertThat(a.body().has("field")).isFalse();
    } else {
      assertThat(a.body().path("field").asText()).isEqualTo(field);
    }
    assertThat(a.body().path("detail").asText()).isEqualTo(detail);
  }

  @Test
  void valuesTheSchemaForbidsAreRefusedNamingTheRule() throws Exception {
    assertRefused(post(MODEL, "{\"age\": -5}"), "age", "age: must be within 18..100, got -5");
    assertRefused(
        post(MODEL, "{\"age\": 1e308}"), "age", "age: must be within 18..100, got 1.0E308");
    assertRefused(
        post(MODEL, "{\"rows\":[" + ROW + ",{\"age\": 40, \"income\": 1e309}]}"),
        "rows[1].income",
        "rows[1].income: must be a finite number, got Infinity");
    assertRefused(
        post(MODEL, "{\"utilization\": 2.5}"),
        "utilization",
        "utilization: must be within 0..2, got 2.5");
    assertThat(post(MODEL, "{}").body().path("detail").asText())
        .startsWith("the row: carries none of this model's features");
    assertRefused(
        post(MODEL, "{\"rows\":[" + ROW + ",{\"age\": null}]}"),
        "rows[1]",
        post(MODEL, "{\"rows\":[" + ROW + ",{}]}").body().path("detail").asText());
    assertThat(post(MODEL, "{\"rows\":[" + ROW + ",{}]}").body().path("detail").asText())
        .startsWith("rows[1]: carries none of this model's features");
    // The edges of the range, a missing feature and an unknown category are all accepted.
    assertThat(post(MODEL, "{\"age\": 18, \"utilization\": 2}").status()).isEqualTo(200);
    assertThat(post(MODEL, "{\"age\": 100, \"region\": \"atlantis\"}").status()).isEqualTo(200);
  }

  @Test
  void bodiesThatAreNotJsonAreRefusedSayingWhy() throws Exception {
    Answer malformed = post(MODEL, "{\"age\": 41,");
    assertThat(malformed.status()).isEqualTo(400);
    assertThat(malformed.body().path("field").asText()).isEqualTo("body");
    assertThat(malformed.body().path("detail").asText())
        .startsWith("the body is not valid JSON at line 1, column ");
    for (String literal : List.of("NaN", "Infinity", "-Infinity")) {
      Answer nan = post(MODEL, "{\"age\": " + literal + "}");
      assertThat(nan.status()).isEqualTo(400);
      assertThat(nan.body().path("detail").asText())
          .startsWith("the body is not valid JSON at line 1, column ")
          .contains("NaN/Infinity are not JSON numbers");
    }
    for (String nothing : List.of("", "null")) {
      assertRefused(
          post(MODEL, nothing),
          "body",
          "the body is empty (or null): send one row as a JSON object, or {\"rows\": [ ... ]}");
    }
    Answer deep = post(MODEL, "[".repeat(5000) + "]".repeat(5000));
    assertThat(deep.status()).isEqualTo(400);
    assertThat(deep.body().path("detail").asText()).startsWith("the body is nested too deeply");
    for (Answer a : List.of(malformed, deep)) {
      assertThat(a.body().path("detail").asText())
          .hasSizeLessThanOrEqualTo(300)
          .doesNotContain("\tat ");
    }
    HttpResponse<String> emptyFeedback = feedback("");
    assertThat(emptyFeedback.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(emptyFeedback.body()).path("detail").asText())
        .startsWith("the body is empty (or null): send {\"requestId\"");
  }

  @Test
  void badRowsAreRefusedNamingTheField() throws Exception {
    Answer wrongType = post(MODEL, "{\"rows\":[{\"age\":30},{\"age\":\"thirty\"}]}");
    assertThat(wrongType.status()).isEqualTo(400);
    assertThat(wrongType.body().get("error").asText())
        .startsWith("rows[1].age: expected a number, got \"thirty\"");

    Answer typo = post(MODEL, "{\"incme\":5}");
    assertThat(typo.status()).isEqualTo(400);
    assertThat(typo.body().get("error").asText()).startsWith("incme: not a feature of this model");

    Answer category = post(MODEL, "{\"region\":7}");
    assertThat(category.body().get("error").asText()).isEqualTo("region: expected a string, got 7");

    Answer tooMany = post(MODEL, "{\"rows\":[{},{},{},{},{},{}]}");
    assertThat(tooMany.status()).isEqualTo(413);
    assertThat(tooMany.body().get("error").asText()).contains("6 rows, more than the 5");

    Answer unknown = post("no-such-model", ROW);
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.body().get("error").asText()).contains("'no-such-model' has no champion");
  }

  @Test
  void aNewChampionServesWithinSecondsWithoutAFailedRequest() throws Exception {
    assertThat(post(MODEL, ROW).body().get("version").asInt()).isEqualTo(1);
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicInteger failures = new AtomicInteger();
    AtomicInteger served = new AtomicInteger();
    List<Thread> load = new ArrayList<>();
    for (int t = 0; t < 2; t++) {
      Thread thread =
          new Thread(
              () -> {
                while (running.get()) {
                  try {
                    if (post(MODEL, ROW).status() == 200) {
                      served.incrementAndGet();
                    } else {
                      failures.incrementAndGet();
                    }
                  } catch (Exception e) {
                    failures.incrementAndGet();
                  }
                }
              });
      thread.start();
      load.add(thread);
    }
    Thread.sleep(300);
    registry.setAlias(new AliasChange(MODEL, Aliases.CHAMPION, 2, "test swap", "test"));
    long deadline = System.nanoTime() + 10_000_000_000L;
    int version = 1;
    while (version != 2 && System.nanoTime() < deadline) {
      Thread.sleep(50);
      version = post(MODEL, ROW).body().get("version").asInt();
    }
    Thread.sleep(300);
    running.set(false);
    for (Thread thread : load) {
      thread.join();
    }
    assertThat(version).isEqualTo(2);
    assertThat(failures.get()).isZero();
    assertThat(served.get()).isPositive();
    registry.setAlias(new AliasChange(MODEL, Aliases.CHAMPION, 1, "back", "test"));
  }

  @Test
  void onlineQualityIsMeasuredPerVersionFromFeedbackLabels() throws Exception {
    Answer a = post(MODEL, "{\"rows\":[" + ROW + "," + ROW + "," + ROW + "]}");
    String id = a.body().get("requestId").asText();
    String model = "model=\"" + MODEL + "\"";
    String version = "version=\"" + a.body().get("version").asInt() + "\"";
    double[] before = {
      metric("perennial_serving_online_logloss_count", model, version),
      metric("perennial_serving_online_logloss_sum", model, version),
      metric("perennial_serving_online_correct_sum", model, version),
      metric("perennial_serving_feedback_total", model, version, "outcome=\"matched\""),
      metric("perennial_serving_feedback_total", model, "outcome=\"unmatched\"")
    };
    int[] labels = {1, 0, 1};
    double expectedLoss = 0;
    int expectedCorrect = 0;
    for (int row = 0; row < 3; row++) {
      double p = a.body().get("predictions").get(row).get("probability").asDouble();
      expectedLoss += labels[row] == 1 ? -Math.log(p) : -Math.log(1 - p);
      expectedCorrect += (p >= 0.5) == (labels[row] == 1) ? 1 : 0;
    }

    StringBuilder rows = new StringBuilder("{\"rows\":[");
    for (int row = 0; row < 3; row++) {
      rows.append(
          "{\"requestId\":\"%s\",\"row\":%d,\"label\":%d},".formatted(id, row, labels[row]));
    }
    // A second label for row 0 and one for a prediction never made: neither counts twice.
    rows.append("{\"requestId\":\"%s\",\"row\":0,\"label\":0},".formatted(id));
    rows.append("{\"requestId\":\"no-such-request\",\"label\":1}]}");
    assertThat(feedback(rows.toString()).statusCode()).isEqualTo(202);

    assertThat(metric("perennial_serving_online_logloss_count", model, version) - before[0])
        .isEqualTo(3);
    assertThat(metric("perennial_serving_online_logloss_sum", model, version) - before[1])
        .isCloseTo(expectedLoss, within(1e-6));
    assertThat(metric("perennial_serving_online_correct_sum", model, version) - before[2])
        .isEqualTo(expectedCorrect);
    assertThat(
            metric("perennial_serving_feedback_total", model, version, "outcome=\"matched\"")
                - before[3])
        .isEqualTo(3);
    assertThat(
            metric("perennial_serving_feedback_total", model, "outcome=\"unmatched\"") - before[4])
        .isEqualTo(2);
  }

  @Test
  void metricsArePerModelAndVersion() throws Exception {
    post(MODEL, ROW);
    String prometheus = prometheus();
    assertThat(prometheus)
        .containsPattern(
            "perennial_serving_requests_total\\{[^}]*model=\"credit-default\"[^}]*outcome=\"ok\"")
        .contains("perennial_serving_latency_seconds")
        .contains("perennial_serving_prediction");
  }

  /** The names the registry refuses, as a client puts them in the URL. */
  private static final List<String> BAD_NAMES =
      List.of("Credit-Default", "%2e%2e", "cr%C3%A9dit", "-x", "a".repeat(64), "b".repeat(1000));

  /** Asserts an RFC 9457 problem of {@code status} naming {@code field}; returns its detail. */
  private static String problem(
      int status, String field, int got, String contentType, JsonNode body) {
    assertThat(got).as(body.toString()).isEqualTo(status);
    assertThat(contentType).startsWith("application/problem+json");
    assertThat(body.get("status").asInt()).isEqualTo(status);
    assertThat(body.get("field").asText()).isEqualTo(field);
    return body.get("detail").asText();
  }

  private static HttpResponse<String> predictRaw(String model, String json) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(base + "/v1/models/" + model + "/predict"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String problem(int status, String field, HttpResponse<String> r) throws Exception {
    return problem(
        status,
        field,
        r.statusCode(),
        r.headers().firstValue("Content-Type").orElse(""),
        JSON.readTree(r.body()));
  }

  @Test
  void predictRefusesModelNamesTheRegistryRefusesAndUnknownModels() throws Exception {
    for (String name : BAD_NAMES) {
      assertThat(problem(400, "model", predictRaw(name, ROW)))
          .as(name)
          .contains("must be 1-63 lower-case letters, digits or '-'")
          .hasSizeLessThanOrEqualTo(300);
    }
    assertThat(problem(404, "model", predictRaw("no-such-model", ROW)))
        .contains("'no-such-model' has no champion");
  }

  @Test
  void feedbackChecksTheModelTheRowAndHowManyLabels() throws Exception {
    String label = "{\"requestId\":\"r\",\"label\":1}";
    for (String name : BAD_NAMES) {
      assertThat(problem(400, "model", feedback(name, label)))
          .as(name)
          .contains("must be 1-63 lower-case letters");
    }
    assertThat(problem(404, "model", feedback("no-such-model", label))).contains("no champion");
    assertThat(problem(400, "row", feedback("{\"requestId\":\"r\",\"row\":-1,\"label\":1}")))
        .contains("non-negative integer");
    assertThat(problem(400, "row", feedback("{\"requestId\":\"r\",\"row\":\"abc\",\"label\":1}")))
        .contains("got \"abc\"");
    assertThat(problem(400, "row", feedback("{\"requestId\":\"r\",\"row\":1.5,\"label\":1}")))
        .contains("non-negative integer");
    assertThat(
            problem(
                400,
                "rows[1].row",
                feedback(
                    "{\"rows\":[" + label + ",{\"requestId\":\"r\",\"row\":-2,\"label\":0}]}")))
        .startsWith("rows[1].row:");
    String six = String.join(",", java.util.Collections.nCopies(6, label));
    assertThat(problem(413, "rows", feedback("{\"rows\":[" + six + "]}")))
        .contains("6 labels, more than the 5");
    assertThat(feedback("{\"requestId\":\"r\",\"row\":0,\"label\":1}").statusCode()).isEqualTo(202);
  }

  /** The scrape's series of this server's own and the HTTP server's meters, values left out. */
  private static java.util.Set<String> servingSeries() throws Exception {
    java.util.Set<String> series = new java.util.TreeSet<>();
    for (String line : prometheus().split("\n")) {
      if ((line.startsWith("perennial_") || line.startsWith("http_server_requests"))
          && line.contains("{")) {
        series.add(line.substring(0, line.lastIndexOf('}') + 1));
      }
    }
    return series;
  }

  @Test
  void refusedModelNamesMintNoMetricSeries() throws Exception {
    // One of each first (and a scrape), so the HTTP server's own series for them exist already.
    predictRaw("Bad-Name", ROW);
    predictRaw("not-served", ROW);
    feedback("Bad-Name", "{}");
    feedback("not-served", "{}");
    prometheus();
    java.util.Set<String> before = servingSeries();
    int sizeBefore = prometheus().length();
    for (int i = 0; i < 200; i++) {
      assertThat(predictRaw("Bad-" + i + "x".repeat(1000), ROW).statusCode()).isEqualTo(400);
      assertThat(predictRaw("not-served-" + i, ROW).statusCode()).isEqualTo(404);
      assertThat(feedback("%2e%2e" + i, "{}").statusCode()).isEqualTo(400);
      assertThat(feedback("not-served-" + i, "{}").statusCode()).isEqualTo(404);
    }
    assertThat(servingSeries()).isEqualTo(before);
    assertThat(prometheus().length()).as("page size").isLessThan(sizeBefore + 4_000);
    assertThat(prometheus()).doesNotContain("not-served").doesNotContain("Bad-");
  }
}
