package dev.perennial.serving.bench;

import ch.qos.logback.classic.Level;
import dev.perennial.dev.s3.EmbeddedS3;
import dev.perennial.serving.ServingFixture;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Predict throughput and p99 latency as ratios to a no-op JSON endpoint ({@link NoopController}) in
 * the same server under the same load. Ratios, not absolute figures, because absolute figures say
 * more about the machine than about the server: what this measures is what scoring, schema checks
 * and the prediction log cost on top of taking a JSON request at all.
 *
 * <p>A benchmark, not a test (DESIGN.md: performance is never asserted in tests), so surefire does
 * not run it. Run it with {@code ./mvnw -q -o -pl serving -am -Pbench process-test-classes
 * -Dbench.args="THREADS SECONDS WARMUP"} (docs/benchmarks.md).
 *
 * <p>The server is {@link ServingFixture}'s: an embedded S3 in this JVM, a logistic regression
 * model as champion, the prediction log flushed every 10 s as in production. {@code THREADS} client
 * threads (default 8) send the same realistic one-row request back to back. Both endpoints are
 * warmed up for {@code WARMUP} seconds (default 10), then each is measured for {@code SECONDS}
 * (default 30) in two halves, in the order predict, no-op, no-op, predict, so drift over the run
 * (JIT, GC, the machine) falls on both alike.
 */
public final class PredictBenchmark {
  /** The Spring profile that adds {@link NoopController} to the server. */
  static final String PROFILE = "benchmark";

  private PredictBenchmark() {}

  public static void main(String[] args) throws Exception {
    // Everything run() starts it also closes, but a library leaves a non-daemon pool thread
    // behind that would keep the JVM (and the Maven build waiting on it) alive: exit explicitly.
    try {
      run(args);
    } catch (Throwable e) {
      e.printStackTrace();
      System.exit(1);
    }
    System.exit(0);
  }

  private static void run(String[] args) throws Exception {
    int threads = args.length > 0 ? Integer.parseInt(args[0]) : 8;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
    int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 10;
    if (threads < 1 || seconds < 2 || warmup < 0) {
      System.err.println("usage: PredictBenchmark [threads >= 1] [seconds >= 2] [warmup >= 0]");
      System.exit(2);
    }
    // Training and the server log at INFO; the figures are what should show.
    ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME))
        .setLevel(Level.WARN);

    Path spool = Files.createTempDirectory("perennial-bench-spool-");
    try (EmbeddedS3 s3 = new EmbeddedS3().start();
        ServingFixture server =
            ServingFixture.start(
                s3,
                spool,
                Map.of(
                    "spring.profiles.active", PROFILE,
                    "logging.level.root", "warn",
                    "perennial.serving.log-flush-interval", "10s"))) {
      Endpoint predict =
          new Endpoint(
              "predict",
              URI.create(server.base() + "/v1/models/" + ServingFixture.MODEL + "/predict"));
      Endpoint noop = new Endpoint("no-op", URI.create(server.base() + "/v1/bench/noop"));
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      predict.check(http);
      noop.check(http);

      Duration half = Duration.ofMillis(seconds * 500L);
      System.out.printf(
          Locale.ROOT,
          "%d client threads; warm-up %d s per endpoint; then %d s per endpoint, measured as"
              + " predict, no-op, no-op, predict (%.1f s each); %d cores, Java %s%n",
          threads,
          warmup,
          seconds,
          half.toMillis() / 1000.0,
          Runtime.getRuntime().availableProcessors(),
          Runtime.version());
      load(http, predict, threads, Duration.ofSeconds(warmup));
      load(http, noop, threads, Duration.ofSeconds(warmup));
      Run p = load(http, predict, threads, half);
      Run n = load(http, noop, threads, half);
      n = n.and(load(http, noop, threads, half));
      p = p.and(load(http, predict, threads, half));

      System.out.printf(
          Locale.ROOT,
          "%-8s %10s %10s %9s %9s %7s%n",
          "endpoint",
          "requests",
          "req/s",
          "p50 ms",
          "p99 ms",
          "failed");
      for (Run run : List.of(p, n)) {
        System.out.printf(
            Locale.ROOT,
            "%-8s %10d %10.1f %9.3f %9.3f %7d%n",
            run.endpoint().name(),
            run.latencies().length,
            run.throughput(),
            run.percentileMs(0.50),
            run.percentileMs(0.99),
            run.failed());
      }
      System.out.printf(
          Locale.ROOT,
          "predict / no-op: throughput %.2f, p99 %.2f%n",
          p.throughput() / n.throughput(),
          p.percentileMs(0.99) / n.percentileMs(0.99));
    } finally {
      try (Stream<Path> files = Files.walk(spool)) {
        for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(file);
        }
      }
    }
  }

  /** A URL the load is sent to, with the same request body for every endpoint. */
  record Endpoint(String name, URI uri) {
    HttpRequest request() {
      return HttpRequest.newBuilder(uri)
          .header("Content-Type", "application/json")
          .header("Authorization", "Bearer " + ServingFixture.KEY)
          .POST(HttpRequest.BodyPublishers.ofString(ServingFixture.ROW))
          .build();
    }

    /** Fails fast, showing the answer, when the endpoint does not answer 200. */
    void check(HttpClient http) throws IOException, InterruptedException {
      HttpResponse<String> r = http.send(request(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new IllegalStateException(
            name + " " + uri + " answered " + r.statusCode() + ": " + r.body());
      }
    }
  }

  /**
   * What one or more load phases on an endpoint saw.
   *
   * @param latencies nanoseconds of every request answered 200
   * @param failed requests answered otherwise, or not at all
   * @param nanos wall time of the phases
   */
  record Run(Endpoint endpoint, long[] latencies, long failed, long nanos) {
    Run and(Run other) {
      long[] all = Arrays.copyOf(latencies, latencies.length + other.latencies.length);
      System.arraycopy(other.latencies, 0, all, latencies.length, other.latencies.length);
      return new Run(endpoint, all, failed + other.failed, nanos + other.nanos);
    }

    double throughput() {
      return latencies.length / (nanos / 1e9);
    }

    /** Nearest-rank percentile, in milliseconds. */
    double percentileMs(double q) {
      long[] sorted = latencies.clone();
      Arrays.sort(sorted);
      int rank = (int) Math.ceil(q * sorted.length);
      return sorted[Math.max(0, rank - 1)] / 1e6;
    }
  }

  /** {@code threads} threads send requests back to back for {@code duration}. */
  static Run load(HttpClient http, Endpoint endpoint, int threads, Duration duration)
      throws InterruptedException {
    HttpRequest request = endpoint.request();
    List<Client> clients = new ArrayList<>();
    long started = System.nanoTime();
    long deadline = started + duration.toNanos();
    for (int i = 0; i < threads; i++) {
      Client client = new Client(http, request, deadline);
      client.thread = new Thread(client, "bench-client-" + i);
      client.thread.start();
      clients.add(client);
    }
    for (Client client : clients) {
      client.thread.join();
    }
    long nanos = System.nanoTime() - started;
    long[] latencies = new long[clients.stream().mapToInt(c -> c.count).sum()];
    int at = 0;
    long failed = 0;
    for (Client client : clients) {
      System.arraycopy(client.latencies, 0, latencies, at, client.count);
      at += client.count;
      failed += client.failed;
    }
    return new Run(endpoint, latencies, failed, nanos);
  }

  /** One client thread: sends, waits for the answer, records how long it took, again. */
  private static final class Client implements Runnable {
    private final HttpClient http;
    private final HttpRequest request;
    private final long deadline;
    Thread thread;
    long[] latencies = new long[1 << 14];
    int count;
    long failed;

    Client(HttpClient http, HttpRequest request, long deadline) {
      this.http = http;
      this.request = request;
      this.deadline = deadline;
    }

    @Override
    public void run() {
      while (System.nanoTime() < deadline) {
        long start = System.nanoTime();
        try {
          HttpResponse<Void> r = http.send(request, HttpResponse.BodyHandlers.discarding());
          long took = System.nanoTime() - start;
          if (r.statusCode() != 200) {
            failed++;
            continue;
          }
          if (count == latencies.length) {
            latencies = Arrays.copyOf(latencies, count * 2);
          }
          latencies[count++] = took;
        } catch (IOException e) {
          failed++;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }
}
