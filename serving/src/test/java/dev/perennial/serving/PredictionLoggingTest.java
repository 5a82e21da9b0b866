package dev.perennial.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.perennial.core.data.FeatureSchema;
import dev.perennial.core.data.FeatureSpec;
import dev.perennial.core.logs.ServingLogRecord;
import dev.perennial.core.logs.ServingLogRecord.Feedback;
import dev.perennial.core.logs.ServingLogRecord.Prediction;
import dev.perennial.core.logs.ServingLogs;
import dev.perennial.workflows.ObjectRef;
import dev.perennial.workflows.registry.AliasChange;
import dev.perennial.workflows.registry.Aliases;
import dev.perennial.workflows.training.Hyperparameters;
import dev.perennial.workflows.training.TrainedModel;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the server logs to S3 for each request and label: the record canary and drift analysis read.
 */
class PredictionLoggingTest extends LiveServer {
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

    String today = LocalDate.now(ZoneOffset.UTC).toString();
    String logged =
        await()
            .atMost(Duration.ofSeconds(10))
            .until(
                () -> readAll("predictions/" + MODEL + "/dt=" + today + "/"),
                all -> all.contains(requestId) && all.contains("customer-42"));
    assertThat(logged).contains(requestId).contains("\"entityKey\":\"customer-42\"");
    String labels =
        await()
            .atMost(Duration.ofSeconds(10))
            .until(
                () -> readAll("feedback/" + MODEL + "/dt=" + today + "/"),
                all -> all.contains(requestId));
    assertThat(labels).contains(requestId).contains("\"label\":1");
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
            fixture
                .s3()
                .store()
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
        fixture
            .s3()
            .store()
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

  /**
   * The reader canary and drift analysis use reads what this server logged as the records it
   * answered: the other half of the analyzers' round-trip test, which writes with the same encoder.
   */
  @Test
  void theAnalyzersReaderReadsWhatTheServerLoggedAsItAnswered() throws Exception {
    Instant before = Instant.now();
    Answer a = post(MODEL, "{\"rows\":[" + ROW + ",{\"age\":25}]}", "customer-7");
    String requestId = a.body().get("requestId").asText();
    assertThat(feedback("{\"requestId\":\"" + requestId + "\",\"row\":1,\"label\":1}").statusCode())
        .isEqualTo(202);
    awaitLogged(MODEL, requestId, 2);
    ServingLogs logs = new ServingLogs(fixture.s3().store(), artifactBucket);
    Instant after = Instant.now().plusSeconds(1);
    List<Feedback> labels =
        await()
            .atMost(Duration.ofSeconds(10))
            .until(
                () -> {
                  List<Feedback> found = new ArrayList<>();
                  logs.pass(n -> {})
                      .readFeedback(
                          MODEL,
                          before,
                          after,
                          LocalDate.now(ZoneOffset.UTC),
                          f -> {
                            if (f.requestId().equals(requestId)) {
                              found.add(f);
                            }
                          });
                  return found;
                },
                found -> !found.isEmpty());

    ServingLogs.Pass pass = logs.pass(n -> {});
    List<ServingLogRecord.Served> served = new ArrayList<>();
    pass.readPredictions(
        MODEL,
        before,
        after,
        null,
        r -> {
          if (r.requestId().equals(requestId)) {
            served.add(r);
          }
        });

    assertThat(pass.malformedLines()).isZero();
    int version = a.body().get("version").asInt();
    assertThat(served)
        .hasSize(2)
        .allSatisfy(
            r -> {
              Prediction p = (Prediction) r;
              assertThat(p.version()).isEqualTo(version);
              assertThat(p.entityKey()).isEqualTo("customer-7");
              assertThat(p.latencyMs()).isNotNull();
              assertThat(p.probability())
                  .isEqualTo(
                      a.body().get("predictions").get(p.row()).get("probability").asDouble());
              assertThat(p.label())
                  .isEqualTo(a.body().get("predictions").get(p.row()).get("label").asInt());
            });
    assertThat(served).extracting(r -> ((Prediction) r).row()).containsExactlyInAnyOrder(0, 1);
    assertThat(labels)
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.labelledRow()).isEqualTo(1);
              assertThat(f.label()).isEqualTo(1);
            });
  }
}
