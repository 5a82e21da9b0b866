package dev.perennial.starter.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.perennial.starter.stack.DevStack;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * infra/docker-compose.yml run for real on the images infra/images/build.sh builds: up, then a
 * training through the command line's image and a prediction from the model server's container.
 * Every port is a free one (below the ephemeral range) and the project has a name of its own, so it
 * runs beside anything on the usual ports; skipped without an engine or the images (see {@link
 * ContainerEngine}).
 */
@ContainerImages({"temporal", "minio", "worker", "serving", "cli"})
class ComposeStackTest {
  private static final String FILE = "infra/docker-compose.yml";
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  static List<String> compose;
  static final Map<String, String> ENV = new HashMap<>();
  static boolean started;

  @BeforeAll
  static void up() throws Exception {
    ContainerEngine.require("temporal", "minio", "worker", "serving", "cli");
    compose = new ArrayList<>(ContainerEngine.compose());
    compose.addAll(
        List.of("-f", FILE, "-p", "perennial-compose-test-" + ProcessHandle.current().pid()));
    for (String port :
        List.of(
            "TEMPORAL_PORT",
            "TEMPORAL_UI_PORT",
            "MINIO_PORT",
            "MINIO_CONSOLE_PORT",
            "PERENNIAL_WORKER_PORT",
            "PERENNIAL_SERVING_PORT",
            "PERENNIAL_SERVING_MANAGEMENT_PORT")) {
      ENV.put(port, Integer.toString(portBelowEphemeralRange()));
    }
    ENV.put("PERENNIAL_S3_ACCESS_KEY", "perennial");
    ENV.put("PERENNIAL_S3_SECRET_KEY", secret(16));
    ENV.put("PERENNIAL_WORKER_S3_SECRET", secret(16));
    ENV.put("PERENNIAL_SERVING_S3_SECRET", secret(16));
    ENV.put("PERENNIAL_SERVING_KEY", secret(32));
    // A small heap each: two JVMs in containers beside the build's own on a small machine.
    ENV.put("PERENNIAL_WORKER_JAVA_OPTIONS", "-Xmx768m");
    ENV.put("PERENNIAL_SERVING_JAVA_OPTIONS", "-Xmx384m");

    started = true;
    ContainerEngine.Result up = compose(5, "up", "-d", "--no-build");
    assertThat(up.code()).as(up.output() + logs()).isZero();
    // A bound for a stuck start, not a performance check: two Spring Boot JVMs start in the
    // containers beside the build's own on a loaded machine.
    try {
      await("the worker's and the model server's health")
          .atMost(Duration.ofMinutes(6))
          .pollInterval(Duration.ofSeconds(1))
          .ignoreExceptions()
          .untilAsserted(
              () -> {
                assertThat(get(port("PERENNIAL_WORKER_PORT"), "/actuator/health"))
                    .contains("\"UP\"");
                assertThat(
                        get(port("PERENNIAL_SERVING_MANAGEMENT_PORT"), "/actuator/health/liveness"))
                    .contains("\"UP\"");
              });
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(e.getMessage() + "\n" + compose(1, "ps").output() + logs(), e);
    }
  }

  @AfterAll
  static void down() {
    if (started) {
      ContainerEngine.Result down = compose(3, "down", "--volumes", "--remove-orphans");
      assertThat(down.code()).as(down.output()).isZero();
    }
  }

  @Test
  void trainsThroughTheCommandLineImageAndServesTheChampion() throws Exception {
    ContainerEngine.Result generate =
        cli(
            "generate",
            "--model",
            "compose",
            "--days",
            "4",
            "--rows-per-day",
            "1000",
            "--first-day",
            "2026-03-01");
    assertThat(generate.code()).as(generate.output()).isZero();
    assertThat(generate.output())
        .contains("Wrote 5 objects (4 days x 1000 rows) to s3://perennial-data/compose/");

    ContainerEngine.Result train =
        cli("train", "--model", "compose", "--wait", "--algorithm", "LOGISTIC_REGRESSION");
    assertThat(train.code()).as(train.output() + logs()).isZero();
    assertThat(train.output()).contains("Result:   PROMOTED — v1 is champion");

    // The model server picks the new champion up from the registry within its refresh interval.
    String body = "{\"age\": 41, \"income\": 52000, \"utilization\": 0.4, \"region\": \"north\"}";
    JsonNode answer =
        await("the model server answers with v1")
            .atMost(Duration.ofMinutes(1))
            .pollInterval(Duration.ofSeconds(1))
            .until(() -> predict(body), a -> a != null && a.path("version").asInt() == 1);
    assertThat(answer.path("model").asText()).isEqualTo("compose");
    double probability = answer.path("predictions").get(0).path("probability").asDouble(-1);
    assertThat(probability).isBetween(0.0, 1.0);

    HttpResponse<String> unauthorised =
        HTTP.send(predictRequest(body, "not-the-key"), HttpResponse.BodyHandlers.ofString());
    assertThat(unauthorised.statusCode()).isEqualTo(401);
  }

  private static JsonNode predict(String body) throws Exception {
    HttpResponse<String> response =
        HTTP.send(
            predictRequest(body, ENV.get("PERENNIAL_SERVING_KEY")),
            HttpResponse.BodyHandlers.ofString());
    return response.statusCode() == 200 ? new ObjectMapper().readTree(response.body()) : null;
  }

  private static HttpRequest predictRequest(String body, String key) {
    return HttpRequest.newBuilder(
            URI.create(
                "http://127.0.0.1:"
                    + port("PERENNIAL_SERVING_PORT")
                    + "/v1/models/compose/predict"))
        .timeout(Duration.ofSeconds(10))
        .header("Authorization", "Bearer " + key)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
  }

  private static ContainerEngine.Result cli(String... args) {
    List<String> run = new ArrayList<>(List.of("run", "--rm", "-T", "cli"));
    run.addAll(List.of(args));
    return compose(5, run.toArray(String[]::new));
  }

  private static ContainerEngine.Result compose(int minutes, String... args) {
    List<String> command = new ArrayList<>(compose);
    command.addAll(List.of(args));
    return ContainerEngine.run(command, ENV, minutes);
  }

  /** The services' last lines, for a failure's message. */
  private static String logs() {
    return "\n--- compose logs ---\n" + compose(1, "logs", "--no-color", "--tail", "60").output();
  }

  private static String get(int port, String path) throws Exception {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return response.statusCode() + " " + response.body();
  }

  /**
   * A free loopback port below the kernel's ephemeral range: the services bind theirs half a minute
   * after they are chosen, and a port from the ephemeral range can meanwhile become the local end
   * of some outgoing connection on a busy machine.
   */
  private static int portBelowEphemeralRange() throws Exception {
    int low = 32768;
    Path range = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    if (Files.isReadable(range)) {
      low = Integer.parseInt(Files.readString(range).trim().split("\\s+")[0]);
    }
    var random = new SecureRandom();
    for (int attempt = 0; attempt < 100 && low > 12000; attempt++) {
      int candidate = 10000 + random.nextInt(low - 10000);
      if (ENV.containsValue(Integer.toString(candidate))) {
        continue;
      }
      try (var socket = new ServerSocket(candidate, 1, InetAddress.getLoopbackAddress())) {
        return candidate;
      } catch (java.io.IOException taken) {
        // try another
      }
    }
    return DevStack.freePort();
  }

  private static int port(String name) {
    return Integer.parseInt(ENV.get(name));
  }

  private static String secret(int bytes) {
    byte[] b = new byte[bytes];
    new SecureRandom().nextBytes(b);
    return HexFormat.of().formatHex(b);
  }
}
