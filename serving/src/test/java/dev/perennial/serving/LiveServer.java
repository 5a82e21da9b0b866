package dev.perennial.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.perennial.core.registry.ModelRegistry;
import dev.perennial.dev.s3.EmbeddedS3;
import dev.perennial.workflows.training.TrainedModel;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The model server the tests of its HTTP behaviour share ({@link ServingFixture}: v1 champion, v2
 * registered, at most 5 rows a request), started once for the whole run: training two models and
 * starting Spring per test class would cost more than the tests. Each test leaves the registry as
 * it found it (v1 champion, no canary). Subclasses get the server and what talks to it.
 */
@ExtendWith(LiveServer.Start.class)
abstract class LiveServer {
  static final String MODEL = ServingFixture.MODEL;
  static final String ROW = ServingFixture.ROW;
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newHttpClient();

  static ServingFixture fixture;
  static ModelRegistry registry;
  static TrainedModel v1;
  static String base;
  static String management;
  static String artifactBucket;

  /** Starts the shared server on first use; JUnit closes it when the run ends. */
  static final class Start implements BeforeAllCallback {
    @Override
    public void beforeAll(ExtensionContext context) {
      Shared shared =
          context
              .getRoot()
              .getStore(ExtensionContext.Namespace.create(LiveServer.class))
              .computeIfAbsent(Shared.class, k -> new Shared(), Shared.class);
      fixture = shared.fixture;
      registry = fixture.registry();
      v1 = fixture.v1();
      base = fixture.base();
      management = fixture.management();
      artifactBucket = fixture.artifactBucket();
    }
  }

  private static final class Shared implements AutoCloseable {
    final EmbeddedS3 s3 = new EmbeddedS3().start();
    final Path spool;
    final ServingFixture fixture;

    Shared() {
      try {
        spool = Files.createTempDirectory("perennial-serving-test-");
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      fixture = ServingFixture.start(s3, spool, Map.of("perennial.serving.max-batch-rows", 5));
    }

    @Override
    public void close() throws IOException {
      fixture.close();
      s3.close();
      try (Stream<Path> files = Files.walk(spool)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
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
            .header("Authorization", "Bearer " + ServingFixture.KEY)
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
    return send(model, "feedback", json);
  }

  static HttpResponse<String> predictRaw(String model, String json) throws Exception {
    return send(model, "predict", json);
  }

  private static HttpResponse<String> send(String model, String endpoint, String json)
      throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(base + "/v1/models/" + model + "/" + endpoint))
            .header("Content-Type", "application/json")
            .header("Authorization", "Bearer " + ServingFixture.KEY)
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The server's Prometheus scrape. */
  static String prometheus() throws Exception {
    return HTTP.send(
            HttpRequest.newBuilder(URI.create(management + "/actuator/prometheus")).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  /**
   * The value of {@code name} in the scrape on the series carrying every one of {@code labels} (as
   * {@code key="value"}); 0 when there is no such series yet.
   */
  static double metric(String name, String... labels) throws Exception {
    double value = 0;
    for (String line : prometheus().split("\n")) {
      if (line.startsWith(name + "{")) {
        String series = line.substring(name.length(), line.lastIndexOf('}') + 1);
        if (Arrays.stream(labels).allMatch(series::contains)) {
          value = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        }
      }
    }
    return value;
  }

  /**
   * Waits until the server routes {@link #MODEL} as the registry says: champion {@code champion},
   * {@code canaryPercent} % to the canary (it reads the registry every 200 ms).
   */
  static void awaitRouting(int champion, int canaryPercent) {
    ServedModels served = fixture.server().getBean(ServedModels.class);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> served.current(MODEL).orElseThrow(),
            r -> r.champion().version() == champion && r.canaryPercent() == canaryPercent);
  }

  /** Everything logged under {@code prefix} in the artifact bucket, objects one after another. */
  static String readAll(String prefix) throws Exception {
    StringBuilder all = new StringBuilder();
    for (var object : fixture.s3().store().list(artifactBucket, prefix)) {
      try (var in = new GZIPInputStream(fixture.s3().store().open(artifactBucket, object.key()))) {
        all.append(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      }
    }
    return all.toString();
  }

  /** The prediction log's entries of {@code model} for today, one JSON object per line. */
  static List<JsonNode> logged(String model) throws Exception {
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
  static List<JsonNode> awaitLogged(String model, String requestId, int count) {
    List<JsonNode> found =
        await()
            .atMost(Duration.ofSeconds(10))
            .until(
                () ->
                    logged(model).stream()
                        .filter(e -> requestId.equals(e.path("requestId").asText()))
                        .toList(),
                entries -> entries.size() >= count);
    assertThat(found).as("log entries of request " + requestId).hasSize(count);
    return found;
  }
}
