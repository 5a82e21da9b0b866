package com.example.pipelines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * This project's jar as a plug-in of the stock worker, driven through the {@code perennial} command
 * line as a user would: {@code perennial up --plugins target/...jar}, data generated, the {@code
 * ApprovedForest} pipeline started with {@code perennial run}, approved with {@code perennial
 * approve}, and read back with {@code status} and {@code models --audit}.
 *
 * <p>Needs the command line: {@code -Dperennial.cli=/path/to/perennial} (Perennial's CI passes it).
 * With {@code CI=true} it also requires the real Temporal dev server, so a run that fell back to
 * the in-process test server fails instead of passing on less.
 */
@Timeout(900) // A safety net against a hung stack, not a speed check.
class StockWorkerEndToEndIT {
  private static final String MODEL = "loan-churn";
  private static final Duration STACK_START = Duration.ofMinutes(5);
  private static final Duration RUN = Duration.ofMinutes(8);

  private static final List<String> PORT_OPTIONS =
      List.of(
          "--temporal-port",
          "--ui-port",
          "--s3-port",
          "--s3-console-port",
          "--worker-port",
          "--serving-port");

  private final String cli = System.getProperty("perennial.cli");
  private final boolean ci = "true".equals(System.getenv("CI"));
  private final int[] ports = new int[PORT_OPTIONS.size()];
  private final HttpClient http = HttpClient.newHttpClient();

  @TempDir Path dataDir;
  private Process stack;
  private final StringBuffer stackOutput = new StringBuffer();

  @BeforeEach
  void needTheCommandLine() throws IOException {
    if (ci) {
      assertThat(cli).as("-Dperennial.cli must name the perennial command in CI").isNotBlank();
    }
    assumeTrue(cli != null && !cli.isBlank(), "-Dperennial.cli not set");
    for (int i = 0; i < ports.length; i++) {
      ports[i] = freePort();
    }
  }

  @AfterEach
  void stopStack() throws InterruptedException {
    if (stack != null && stack.isAlive()) {
      stack.destroy();
      if (!stack.waitFor(60, TimeUnit.SECONDS)) {
        stack.destroyForcibly();
      }
    }
  }

  @Test
  void approvedThroughTheCommandLineItBecomesChampionInTheApproversName() throws Exception {
    boolean devServer = startStack();
    String[] status = {cli, "status", "--model", MODEL, "--workflow-type", "ApprovedForest"};

    run(cli, "generate", "--model", MODEL, "--days", "8", "--rows-per-day", "2500");
    assertThat(run(cli, "run", "ApprovedForest", "--model", MODEL)).contains("approved-forest");
    await("the run to wait for approval", RUN, () -> output(status).contains("AWAITING_APPROVAL"));

    // The dev server finds the waiting run by model; the fallback test server cannot search.
    List<String> approve =
        new ArrayList<>(List.of(cli, "approve", "--model", MODEL, "--by", "alice"));
    approve.addAll(List.of("--note", "end to end"));
    if (!devServer) {
      approve.addAll(List.of("--workflow-id", "approved-forest-" + MODEL));
    }
    assertThat(run(approve.toArray(String[]::new))).contains("approved by alice");
    await("the run to end", RUN, () -> output(status).contains("COMPLETED"));
    assertThat(run(status))
        .contains("ApprovedForest")
        .contains("v1 is champion, approved by alice: end to end");
    String models = run(cli, "models", "--model", MODEL, "--audit");
    assertThat(models).contains("champion").contains("alice");
  }

  /**
   * Our own trainer, from this jar only: trained on our churn data, gated and registered, served by
   * the model server, and after a restart of the whole stack served again and loaded by the worker
   * as the champion the next run is compared with.
   */
  @Test
  void ourTrainersModelIsServedAndReloadsAfterARestart() throws Exception {
    startStack();
    run(cli, "data", "put", "--model", "churn", "--from", Path.of("data/churn").toString());
    String first = run(cli, "run", "ChurnRetraining", "--model", "churn", "--wait");
    assertThat(first).contains("v1 is champion");
    String row =
        "{\"tenure_months\": 3, \"monthly_charges\": 95.5, \"support_calls\": 6,"
            + " \"plan\": \"pro\", \"contract\": \"monthly\"}";
    String answer = awaitPrediction("churn", row);
    assertThat(answer).contains("\"version\":1");

    stopStack();
    startStack();
    String again = awaitPrediction("churn", row);
    assertThat(again).contains("\"version\":1");
    assertThat(probability(again)).isEqualTo(probability(answer));
    String second = run(cli, "run", "ChurnRetraining", "--model", "churn", "--wait");
    assertThat(second).containsPattern("v2 (is champion|refused by the gate)").contains("v1");
  }

  /**
   * Posts {@code row} to the model server until it answers 200, and returns the answer. The key is
   * the one the running stack generated and wrote into its stack.json.
   */
  private String awaitPrediction(String model, String row) throws InterruptedException {
    URI predict = URI.create("http://127.0.0.1:" + ports[5] + "/v1/models/" + model + "/predict");
    String[] answer = new String[1];
    await(
        "the model server to serve " + model,
        STACK_START,
        () -> {
          try {
            HttpRequest request =
                HttpRequest.newBuilder(predict)
                    .header("Content-Type", "application/json")
                    .header("Authorization", "Bearer " + servingApiKey())
                    .POST(HttpRequest.BodyPublishers.ofString(row))
                    .build();
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            answer[0] = r.body();
            return r.statusCode() == 200;
          } catch (IOException e) {
            return false;
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
          }
        });
    return answer[0];
  }

  /** The model server key of the running stack, from the stack.json it wrote. */
  private String servingApiKey() throws IOException {
    String stackJson = Files.readString(dataDir.resolve("stack.json"));
    Matcher m = Pattern.compile("\"servingApiKey\"\\s*:\\s*\"([^\"]+)\"").matcher(stackJson);
    assertThat(m.find()).as("servingApiKey in stack.json").isTrue();
    return m.group(1);
  }

  /** The probability in a one-row predict answer. */
  private static String probability(String answer) {
    Matcher m = Pattern.compile("\"probability\":([-0-9.eE]+)").matcher(answer);
    assertThat(m.find()).as(answer).isTrue();
    return m.group(1);
  }

  /** Starts {@code perennial up} with this project's jar; true when it runs the real dev server. */
  private boolean startStack() throws Exception {
    Path jar = Path.of("target", "example-pipelines-1.0.0-SNAPSHOT.jar").toAbsolutePath();
    assertThat(jar).as("mvn package first").exists();
    List<String> up = new ArrayList<>(List.of(cli, "up", "--plugins", jar.toString()));
    for (int i = 0; i < PORT_OPTIONS.size(); i++) {
      up.add(PORT_OPTIONS.get(i));
      up.add(String.valueOf(ports[i]));
    }
    stackOutput.setLength(0);
    stack = command(up).start();
    Process started = stack;
    CompletableFuture.runAsync(() -> copy(started, stackOutput));
    await("the stack to be ready", STACK_START, () -> stackOutput.toString().contains("Ready."));
    assertThat(stackOutput.toString()).contains("ApprovedForest").contains("ChurnRetraining");
    boolean devServer = stackOutput.toString().contains("Web UI:");
    if (ci) {
      assertThat(devServer).as("the real dev server, not the fallback:\n" + stackOutput).isTrue();
    }
    return devServer;
  }

  private ProcessBuilder command(List<String> args) {
    ProcessBuilder pb = new ProcessBuilder(args).redirectErrorStream(true);
    pb.environment().put("PERENNIAL_DATA_DIR", dataDir.toString());
    return pb;
  }

  /** Runs one command to its end and returns what it printed; a failure shows its output. */
  private String run(String... args) {
    Finished f = finish(args);
    assertThat(f.exit()).as(String.join(" ", args) + " printed:\n" + f.out()).isZero();
    return f.out();
  }

  /** What a command printed, whatever its exit code (for polling). */
  private String output(String... args) {
    return finish(args).out();
  }

  private record Finished(int exit, String out) {}

  private Finished finish(String... args) {
    try {
      Process p = command(List.of(args)).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(5, TimeUnit.MINUTES)).as(String.join(" ", args)).isTrue();
      return new Finished(p.exitValue(), out);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private void await(String what, Duration limit, java.util.function.BooleanSupplier done)
      throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!done.getAsBoolean()) {
      assertThat(stack.isAlive()).as("perennial up stopped:\n" + stackOutput).isTrue();
      assertThat(System.nanoTime())
          .as("waited " + limit + " for " + what + "; stack said:\n" + stackOutput)
          .isLessThan(deadline);
      Thread.sleep(1000); // Polling interval while a real stack works; no state is assumed.
    }
  }

  private static void copy(Process p, StringBuffer into) {
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        into.append(line).append('\n');
      }
    } catch (IOException e) {
      into.append("(output ended: ").append(e).append(")\n");
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
