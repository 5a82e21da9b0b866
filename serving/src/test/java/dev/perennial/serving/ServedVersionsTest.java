package dev.perennial.serving;

import static dev.perennial.serving.ServingFixture.MODEL;
import static dev.perennial.serving.ServingFixture.ROW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.perennial.core.registry.ArtifactCheck;
import dev.perennial.core.registry.ModelRegistry;
import dev.perennial.dev.s3.EmbeddedS3;
import dev.perennial.workflows.registry.AliasChange;
import dev.perennial.workflows.registry.Aliases;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A champion the server cannot load is visible outside its log: the health component {@code models}
 * and the wanted/served version gauges show what the registry wants beside what is served, and why
 * they differ, until the artifact is sound again.
 */
class ServedVersionsTest {
  @RegisterExtension static final EmbeddedS3 S3 = new EmbeddedS3();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final Duration DEADLINE = Duration.ofSeconds(20);

  @TempDir Path spool;
  private ServingFixture fixture;

  @AfterEach
  void stop() {
    if (fixture != null) {
      fixture.close();
    }
  }

  @Test
  void aChampionThatCannotLoadShowsAsOutOfSyncUntilItsArtifactIsSound() throws Exception {
    fixture = ServingFixture.start(S3, spool, Map.of());
    assertThat(predictedVersion()).isEqualTo(1);
    await().atMost(DEADLINE).until(() -> "UP".equals(health().path("status").asText()));

    // v2's model bytes change after registration; an alias move that does not check them (a
    // worker from before the registry checked, or a hand edit) names it champion.
    String key = fixture.v2().model().key();
    byte[] sound = S3.store().read(fixture.artifactBucket(), key).orElseThrow().bytes();
    S3.store()
        .put(
            fixture.artifactBucket(),
            key,
            "tampered".getBytes(StandardCharsets.UTF_8),
            "application/octet-stream");
    new ModelRegistry(
            S3.store(), fixture.artifactBucket(), Clock.systemUTC(), ArtifactCheck.UNCHECKED)
        .setAlias(new AliasChange(MODEL, Aliases.CHAMPION, 2, "unchecked move", "test"));

    JsonNode health =
        await()
            .atMost(DEADLINE)
            .until(this::health, h -> "OUT_OF_SYNC".equals(h.path("status").asText()));
    JsonNode model = health.path("details").path(MODEL);
    assertThat(model.path("wanted").path("champion").asInt()).isEqualTo(2);
    assertThat(model.path("served").path("champion").asInt()).isEqualTo(1);
    assertThat(model.path("problem").asText()).contains(key).contains("SHA-256");
    assertThat(predictedVersion()).isEqualTo(1);
    // The gauges are published right after each refresh: wait for the one that saw the change.
    String scrape =
        await()
            .atMost(DEADLINE)
            .until(
                () -> get("/actuator/prometheus"),
                text -> text.contains("perennial_serving_wanted_version{"));
    assertThat(scrape)
        .contains(
            "perennial_serving_wanted_version{model=\"credit-default\",role=\"champion\"} 2.0")
        .contains(
            "perennial_serving_served_version{model=\"credit-default\",role=\"champion\"} 1.0");

    S3.store().put(fixture.artifactBucket(), key, sound, "application/octet-stream");

    await().atMost(DEADLINE).until(() -> "UP".equals(health().path("status").asText()));
    assertThat(health().path("details").path(MODEL).path("served").path("champion").asInt())
        .isEqualTo(2);
    assertThat(predictedVersion()).isEqualTo(2);
  }

  private JsonNode health() throws Exception {
    return JSON.readTree(get("/actuator/health/models"));
  }

  private int predictedVersion() throws Exception {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(fixture.base() + "/v1/models/" + MODEL + "/predict"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(ROW))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readTree(response.body()).path("version").asInt();
  }

  private String get(String path) throws Exception {
    return HTTP.send(
            HttpRequest.newBuilder(URI.create(fixture.base() + path)).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }
}
