package dev.perennial.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.perennial.dev.s3.EmbeddedS3;
import dev.perennial.workflows.registry.AliasChange;
import dev.perennial.workflows.registry.Aliases;
import dev.perennial.workflows.training.Hyperparameters;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code perennial.serving.models}: the champions of the named models load at start-up, and the
 * readiness probe answers 503, naming each model still without a champion and why, until all of
 * them are served; liveness is not affected.
 */
class ChampionsReadinessTest {
  private static final String LATER = "later-model";
  private static final Duration DEADLINE = Duration.ofSeconds(30);

  @RegisterExtension static final EmbeddedS3 S3 = new EmbeddedS3();
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir static Path spool;
  static ServingFixture fixture;

  @BeforeAll
  static void start() {
    fixture =
        ServingFixture.start(
            S3, spool, Map.of("perennial.serving.models", ServingFixture.MODEL + ", " + LATER));
  }

  @AfterAll
  static void stop() {
    if (fixture != null) {
      fixture.close();
    }
  }

  record Probe(int status, JsonNode body) {}

  static Probe probe(String group) throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(fixture.management() + "/actuator/health/" + group))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return new Probe(r.statusCode(), JSON.readTree(r.body()));
  }

  @Test
  void readyOnlyOnceEveryNamedModelServesItsChampion() throws Exception {
    // credit-default's champion loads without a request; the other model has none yet.
    Probe waiting =
        await()
            .atMost(DEADLINE)
            .until(
                () -> probe("readiness"),
                p -> {
                  JsonNode details = p.body().path("components").path("champions").path("details");
                  return details.has(LATER) && !details.has(ServingFixture.MODEL);
                });
    assertThat(waiting.status()).isEqualTo(503);
    JsonNode champions = waiting.body().path("components").path("champions");
    assertThat(champions.path("status").asText()).isEqualTo("OUT_OF_SERVICE");
    assertThat(champions.path("details").path(LATER).asText())
        .isEqualTo("the registry names no champion yet");
    assertThat(probe("liveness").status()).isEqualTo(200);

    fixture.register(LATER, fixture.v1(), Hyperparameters.LOGISTIC_REGRESSION, "run-later");
    fixture
        .registry()
        .setAlias(new AliasChange(LATER, Aliases.CHAMPION, 1, "first champion", "test"));

    Probe ready = await().atMost(DEADLINE).until(() -> probe("readiness"), p -> p.status() == 200);
    assertThat(ready.body().path("status").asText()).isEqualTo("UP");
    assertThat(ready.body().path("components").path("champions").path("details").path("serving"))
        .extracting(JsonNode::asText)
        .containsExactly(ServingFixture.MODEL, LATER);
  }
}
