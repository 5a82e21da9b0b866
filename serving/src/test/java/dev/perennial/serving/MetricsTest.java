package dev.perennial.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Per-version metrics: requests, latency, online quality; and no series minted for names no model
 * has.
 */
class MetricsTest extends LiveServer {
  @Test
  void onlineQualityIsMeasuredPerVersionFromFeedbackLabels() throws Exception {
    Answer a = post(MODEL, "{\"rows\":[" + ROW + "," + ROW + "," + ROW + "]}");
    String id = a.body().get("requestId").asText();
    String model = "model=\"" + MODEL + "\"";
    String version = "version=\"" + a.body().get("version").asInt() + "\"";
    double[] before = {
      metric("perennial_serving_online_logloss_count", model, version),
      metric("perennial_serving_online_logloss_sum", model, version),
      metric("perennial_serving_online_correct_sum", model, version),
      metric("perennial_serving_feedback_total", model, version, "outcome=\"matched\""),
      metric("perennial_serving_feedback_total", model, "outcome=\"unmatched\"")
    };
    int[] labels = {1, 0, 1};
    double expectedLoss = 0;
    int expectedCorrect = 0;
    for (int row = 0; row < 3; row++) {
      double p = a.body().get("predictions").get(row).get("probability").asDouble();
      expectedLoss += labels[row] == 1 ? -Math.log(p) : -Math.log(1 - p);
      expectedCorrect += (p >= 0.5) == (labels[row] == 1) ? 1 : 0;
    }

    StringBuilder rows = new StringBuilder("{\"rows\":[");
    for (int row = 0; row < 3; row++) {
      rows.append(
          "{\"requestId\":\"%s\",\"row\":%d,\"label\":%d},".formatted(id, row, labels[row]));
    }
    // A second label for row 0 and one for a prediction never made: neither counts twice.
    rows.append("{\"requestId\":\"%s\",\"row\":0,\"label\":0},".formatted(id));
    rows.append("{\"requestId\":\"no-such-request\",\"label\":1}]}");
    assertThat(feedback(rows.toString()).statusCode()).isEqualTo(202);

    assertThat(metric("perennial_serving_online_logloss_count", model, version) - before[0])
        .isEqualTo(3);
    assertThat(metric("perennial_serving_online_logloss_sum", model, version) - before[1])
        .isCloseTo(expectedLoss, within(1e-6));
    assertThat(metric("perennial_serving_online_correct_sum", model, version) - before[2])
        .isEqualTo(expectedCorrect);
    assertThat(
            metric("perennial_serving_feedback_total", model, version, "outcome=\"matched\"")
                - before[3])
        .isEqualTo(3);
    assertThat(
            metric("perennial_serving_feedback_total", model, "outcome=\"unmatched\"") - before[4])
        .isEqualTo(2);
  }

  @Test
  void metricsArePerModelAndVersion() throws Exception {
    post(MODEL, ROW);
    String prometheus = prometheus();
    assertThat(prometheus)
        .containsPattern(
            "perennial_serving_requests_total\\{[^}]*model=\"credit-default\"[^}]*outcome=\"ok\"")
        .contains("perennial_serving_latency_seconds")
        .contains("perennial_serving_prediction");
  }

  @Test
  void aVersionsErrorSeriesStartsAtZeroWithItsFirstRequest() throws Exception {
    Answer a = post(MODEL, ROW);
    String version = "version=\"" + a.body().get("version").asInt() + "\"";
    assertThat(prometheus())
        .containsPattern(
            "perennial_serving_requests_total\\{model=\"credit-default\",outcome=\"error\","
                + version
                + "\\} 0.0\n");
  }

  @Test
  void theServedChampionsRegistrationTimeIsAGauge() throws Exception {
    post(MODEL, ROW);
    int champion = registry.aliases(MODEL).get(dev.perennial.workflows.registry.Aliases.CHAMPION);
    long registered =
        java.time.Instant.parse(registry.version(MODEL, champion).orElseThrow().createdAt())
            .getEpochSecond();
    await()
        .atMost(java.time.Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(
                        metric(
                            "perennial_serving_champion_registered_timestamp_seconds",
                            "model=\"" + MODEL + "\""))
                    .isEqualTo((double) registered));
  }

  /** The scrape's series of this server's own and the HTTP server's meters, values left out. */
  private static Set<String> servingSeries() throws Exception {
    Set<String> series = new TreeSet<>();
    for (String line : prometheus().split("\n")) {
      if ((line.startsWith("perennial_") || line.startsWith("http_server_requests"))
          && line.contains("{")) {
        series.add(line.substring(0, line.lastIndexOf('}') + 1));
      }
    }
    return series;
  }

  @Test
  void refusedModelNamesMintNoMetricSeries() throws Exception {
    // One of each first (and a scrape), so the HTTP server's own series for them exist already.
    predictRaw("Bad-Name", ROW);
    predictRaw("not-served", ROW);
    feedback("Bad-Name", "{}");
    feedback("not-served", "{}");
    prometheus();
    Set<String> before = servingSeries();
    int sizeBefore = prometheus().length();
    for (int i = 0; i < 200; i++) {
      assertThat(predictRaw("Bad-" + i + "x".repeat(1000), ROW).statusCode()).isEqualTo(400);
      assertThat(predictRaw("not-served-" + i, ROW).statusCode()).isEqualTo(404);
      assertThat(feedback("%2e%2e" + i, "{}").statusCode()).isEqualTo(400);
      assertThat(feedback("not-served-" + i, "{}").statusCode()).isEqualTo(404);
    }
    assertThat(servingSeries()).isEqualTo(before);
    assertThat(prometheus().length()).as("page size").isLessThan(sizeBefore + 4_000);
    assertThat(prometheus()).doesNotContain("not-served").doesNotContain("Bad-");
  }
}
