package dev.perennial.starter.infra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.perennial.starter.stack.DevStack;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.yaml.snakeyaml.Yaml;

/**
 * A real Prometheus on a free loopback port, configured from infra/prometheus/prometheus.yml (its
 * jobs, pointed at the given targets, scraped every second) with infra/prometheus/alerts.yml as its
 * rules, and asked through its HTTP API.
 */
final class PrometheusServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final Process process;
  private final String base;
  private final Path log;

  private PrometheusServer(Process process, String base, Path log) {
    this.process = process;
    this.base = base;
    this.log = log;
  }

  /**
   * Starts {@code binary} with its data in {@code dir}, scraping {@code targets} (job name to
   * {@code http://host:port}; every job of infra/prometheus/prometheus.yml must be given one).
   */
  @SuppressWarnings("unchecked")
  static PrometheusServer start(Path binary, Path dir, Map<String, String> targets)
      throws IOException, InterruptedException {
    Files.createDirectories(dir);
    Map<String, Object> config;
    try (var in =
        Files.newInputStream(InfraTools.ROOT.resolve("infra/prometheus/prometheus.yml"))) {
      config = new Yaml().load(in);
    }
    config.put("global", Map.of("scrape_interval", "1s", "evaluation_interval", "1s"));
    config.put(
        "rule_files", List.of(InfraTools.ROOT.resolve("infra/prometheus/alerts.yml").toString()));
    List<String> unknown = new ArrayList<>(targets.keySet());
    for (Map<String, Object> job : (List<Map<String, Object>>) config.get("scrape_configs")) {
      String name = (String) job.get("job_name");
      String target = targets.get(name);
      if (target == null) {
        throw new IllegalArgumentException("no target given for job " + name);
      }
      unknown.remove(name);
      URI uri = URI.create(target);
      Map<String, Object> staticConfig =
          new LinkedHashMap<>(((List<Map<String, Object>>) job.get("static_configs")).get(0));
      staticConfig.put("targets", List.of(uri.getHost() + ":" + uri.getPort()));
      job.put("static_configs", List.of(staticConfig));
    }
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException("prometheus.yml has no job " + unknown);
    }
    Path file = dir.resolve("prometheus.yml");
    Files.writeString(file, new Yaml().dump(config));

    String address = "127.0.0.1:" + DevStack.freePort();
    Path log = dir.resolve("prometheus.log");
    Process process =
        new ProcessBuilder(
                binary.toString(),
                "--config.file=" + file,
                "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=" + address)
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    PrometheusServer server = new PrometheusServer(process, "http://" + address, log);
    server.awaitReady();
    return server;
  }

  private void awaitReady() throws IOException, InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("prometheus exited: " + Files.readString(log));
      }
      try {
        if (get("/-/ready").statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("prometheus not ready within 60 s: " + Files.readString(log));
  }

  /** The series {@code promql} returns now ({@code data.result} of /api/v1/query). */
  JsonNode query(String promql) {
    return data("/api/v1/query?query=" + encode(promql)).get("result");
  }

  /** Prometheus's syntax tree of {@code promql} (/api/v1/parse_query). */
  JsonNode parse(String promql) {
    return data("/api/v1/parse_query?query=" + encode(promql));
  }

  /** Every metric name Prometheus has a series of. */
  List<String> metricNames() {
    List<String> names = new ArrayList<>();
    data("/api/v1/label/__name__/values").forEach(n -> names.add(n.asText()));
    return names;
  }

  /** The loaded rules' groups (/api/v1/rules). */
  JsonNode rules() {
    return data("/api/v1/rules").get("groups");
  }

  private JsonNode data(String pathAndQuery) {
    try {
      HttpResponse<String> r = get(pathAndQuery);
      JsonNode body = JSON.readTree(r.body());
      if (r.statusCode() != 200 || !"success".equals(body.path("status").asText())) {
        throw new IllegalStateException(pathAndQuery + " answered " + r.statusCode() + ": " + body);
      }
      return body.get("data");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(base + pathAndQuery))
            .timeout(Duration.ofSeconds(30))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
