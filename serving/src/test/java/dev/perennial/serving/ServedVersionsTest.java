package dev.perennial.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.perennial.core.registry.ArtifactCheck;
import dev.perennial.core.registry.ModelRegistry;
import dev.perennial.workflows.registry.AliasChange;
import dev.perennial.workflows.registry.Aliases;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A champion the server cannot load is visible outside its log: the health component {@code models}
 * and the wanted/served version gauges show what the registry wants beside what is served, and why
 * they differ, until the artifact is sound again.
 */
class ServedVersionsTest extends LiveServer {
  private static final Duration DEADLINE = Duration.ofSeconds(20);
  private static final String CHAMPION = "role=\"champion\"";
  private static final String OF_MODEL = "model=\"" + MODEL + "\"";

  @Test
  void aChampionThatCannotLoadShowsAsOutOfSyncUntilItsArtifactIsSound() throws Exception {
    awaitRouting(1, 0);
    await().atMost(DEADLINE).until(() -> "UP".equals(health().path("status").asText()));

    // v2's model bytes change after registration; an alias move that does not check them (a
    // worker from before the registry checked, or a hand edit) names it champion.
    String key = fixture.v2().model().key();
    byte[] sound = fixture.s3().store().read(artifactBucket, key).orElseThrow().bytes();
    fixture
        .s3()
        .store()
        .put(
            artifactBucket,
            key,
            "tampered".getBytes(StandardCharsets.UTF_8),
            "application/octet-stream");
    try {
      new ModelRegistry(
              fixture.s3().store(), artifactBucket, Clock.systemUTC(), ArtifactCheck.UNCHECKED)
          .setAlias(new AliasChange(MODEL, Aliases.CHAMPION, 2, "unchecked move", "test"));

      JsonNode health =
          await()
              .atMost(DEADLINE)
              .until(this::health, h -> "OUT_OF_SYNC".equals(h.path("status").asText()));
      JsonNode model = health.path("details").path(MODEL);
      assertThat(model.path("wanted").path("champion").asInt()).isEqualTo(2);
      assertThat(model.path("served").path("champion").asInt()).isEqualTo(1);
      assertThat(model.path("problem").asText()).contains(key).contains("SHA-256");
      assertThat(post(MODEL, ROW).body().path("version").asInt()).isEqualTo(1);
      // The gauges are published right after each refresh: wait for the one that saw the change.
      await()
          .atMost(DEADLINE)
          .until(() -> metric("perennial_serving_wanted_version", OF_MODEL, CHAMPION) == 2);
      assertThat(metric("perennial_serving_served_version", OF_MODEL, CHAMPION)).isEqualTo(1);

      fixture.s3().store().put(artifactBucket, key, sound, "application/octet-stream");

      awaitRouting(2, 0);
      await().atMost(DEADLINE).until(() -> "UP".equals(health().path("status").asText()));
      assertThat(health().path("details").path(MODEL).path("served").path("champion").asInt())
          .isEqualTo(2);
      assertThat(post(MODEL, ROW).body().path("version").asInt()).isEqualTo(2);
    } finally {
      // The shared server's registry as the other tests expect it: sound v2, v1 champion.
      fixture.s3().store().put(artifactBucket, key, sound, "application/octet-stream");
      registry.setAlias(new AliasChange(MODEL, Aliases.CHAMPION, 1, "test done", "test"));
      awaitRouting(1, 0);
    }
  }

  private JsonNode health() throws Exception {
    return JSON.readTree(
        HTTP.send(
                HttpRequest.newBuilder(URI.create(management + "/actuator/health/models")).build(),
                HttpResponse.BodyHandlers.ofString())
            .body());
  }
}
