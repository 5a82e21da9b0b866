package dev.perennial.dev.traffic;

import com.fasterxml.jackson.databind.JsonNode;
import dev.perennial.core.Json;
import dev.perennial.core.data.FeatureSpec;
import dev.perennial.core.data.FeatureType;
import dev.perennial.dev.data.CreditDefaultGenerator;
import dev.perennial.dev.data.GeneratorSpec;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The demo's users: sends credit-default rows to a model server at a steady rate and, right after
 * each answer, the row's true label as feedback (a label feed with no delay). The rows come from
 * the generator, so the labels follow the world's relationship whatever a model was trained on;
 * {@link #switchTo} moves the users to a drifted world.
 */
public final class TrafficGenerator implements AutoCloseable {

  /** One request's features and its true label. */
  public record Row(Map<String, Object> features, int label) {}

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final URI predict;
  private final URI feedback;
  private final String apiKey;
  private volatile List<Row> rows;
  private final long pauseNanos;
  private final List<Thread> threads = new ArrayList<>();
  private final Map<Integer, AtomicLong> byVersion = new ConcurrentHashMap<>();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong labels = new AtomicLong();
  private final AtomicLong next = new AtomicLong();
  private volatile String lastFailure;
  private volatile boolean running = true;

  /**
   * Starts sending at once.
   *
   * @param servingUrl the model server's base URL
   * @param apiKey a key of the model server with scopes predict and feedback, sent as a bearer
   *     token; null sends none (a server with authentication disabled)
   * @param model model name
   * @param rows rows to send, round robin
   * @param threads concurrent clients
   * @param perThreadPerSecond requests each client sends per second, at most
   */
  public TrafficGenerator(
      String servingUrl,
      String apiKey,
      String model,
      List<Row> rows,
      int threads,
      int perThreadPerSecond) {
    if (rows.isEmpty()) {
      throw new IllegalArgumentException("no rows to send");
    }
    this.predict = URI.create(servingUrl + "/v1/models/" + model + "/predict");
    this.feedback = URI.create(servingUrl + "/v1/models/" + model + "/feedback");
    this.apiKey = apiKey;
    this.rows = rows;
    this.pauseNanos = 1_000_000_000L / perThreadPerSecond;
    for (int i = 0; i < threads; i++) {
      Thread t = new Thread(this::loop, "perennial-traffic-" + i);
      t.setDaemon(true);
      this.threads.add(t);
      t.start();
    }
  }

  /** {@code days} days of clean rows from {@code firstDay} on, as the model server takes them. */
  public static List<Row> rows(long seed, LocalDate firstDay, int days, int rowsPerDay) {
    return rows(GeneratorSpec.clean(seed, firstDay, days, rowsPerDay));
  }

  /** The rows {@code spec} describes (drift included), as the model server takes them. */
  public static List<Row> rows(GeneratorSpec spec) {
    LocalDate firstDay = spec.firstDay();
    int days = spec.days();
    CreditDefaultGenerator generator = new CreditDefaultGenerator();
    List<FeatureSpec> features = CreditDefaultGenerator.schema().features();
    List<Row> rows = new ArrayList<>();
    for (int d = 0; d < days; d++) {
      StringWriter csv = new StringWriter();
      try {
        generator.writeDay(csv, firstDay.plusDays(d), spec);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      String[] lines = csv.toString().split("\n");
      // Columns: id, the features in schema order, the label. No field holds a comma.
      for (int i = 1; i < lines.length; i++) {
        String[] cells = lines[i].split(",", -1);
        Map<String, Object> row = new HashMap<>();
        for (int f = 0; f < features.size(); f++) {
          String cell = cells[f + 1];
          if (!cell.isEmpty()) {
            FeatureSpec feature = features.get(f);
            row.put(
                feature.name(),
                feature.type() == FeatureType.NUMERIC ? (Object) Double.parseDouble(cell) : cell);
          }
        }
        rows.add(new Row(row, Integer.parseInt(cells[cells.length - 1].trim())));
      }
    }
    return rows;
  }

  private void loop() {
    while (running) {
      long started = System.nanoTime();
      List<Row> current = rows;
      Row row = current.get((int) (next.getAndIncrement() % current.size()));
      try {
        JsonNode answer = post(predict, row.features());
        int version = answer.path("version").asInt();
        byVersion.computeIfAbsent(version, v -> new AtomicLong()).incrementAndGet();
        post(
            feedback, Map.of("requestId", answer.path("requestId").asText(), "label", row.label()));
        labels.incrementAndGet();
      } catch (IOException | RuntimeException e) {
        failed.incrementAndGet();
        lastFailure = e.getMessage();
      } catch (InterruptedException e) {
        return;
      }
      long rest = pauseNanos - (System.nanoTime() - started);
      if (rest > 0) {
        try {
          Thread.sleep(Duration.ofNanos(rest));
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }

  private JsonNode post(URI uri, Object body) throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            .timeout(Duration.ofSeconds(5))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(Json.write(body)));
    if (apiKey != null) {
      request.header("Authorization", "Bearer " + apiKey);
    }
    HttpResponse<byte[]> response =
        http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    if (response.statusCode() / 100 != 2) {
      throw new IOException(
          uri.getPath()
              + " answered "
              + response.statusCode()
              + ": "
              + new String(response.body()));
    }
    return Json.MAPPER.readTree(response.body());
  }

  /**
   * From now on sends {@code next} instead (the world the users come from changed); their labels
   * follow the new rows' relationship.
   */
  public void switchTo(List<Row> next) {
    if (next.isEmpty()) {
      throw new IllegalArgumentException("no rows to send");
    }
    this.rows = next;
  }

  /** Answers so far per model version, in version order. */
  public Map<Integer, Long> answersByVersion() {
    Map<Integer, Long> counts = new TreeMap<>();
    byVersion.forEach((v, n) -> counts.put(v, n.get()));
    return counts;
  }

  /** Labels the model server accepted (a 2xx answer to the feedback post). */
  public long labelsAccepted() {
    return labels.get();
  }

  /** Requests that failed (any non-2xx answer or no answer). */
  public long failures() {
    return failed.get();
  }

  /** The last failure's message, null if none. */
  public String lastFailure() {
    return lastFailure;
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    for (Thread t : threads) {
      t.join(10_000);
    }
  }
}
