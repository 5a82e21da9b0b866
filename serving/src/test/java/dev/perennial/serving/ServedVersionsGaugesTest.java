package dev.perennial.serving;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The served-version gauges while refreshes and scrapes run at the same time. */
class ServedVersionsGaugesTest {

  private static Map<String, ServedModels.Sync> state(int champion, Integer canary) {
    return Map.of(
        "credit",
        new ServedModels.Sync(
            new ServedModels.Wanted(champion, canary, canary == null ? 0 : 25),
            champion,
            canary,
            null));
  }

  @Test
  void scrapesDuringRefreshesNeverSeeASeriesTwice() throws Exception {
    PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    AtomicReference<Map<String, ServedModels.Sync>> now = new AtomicReference<>(state(1, null));
    ServedVersions versions = new ServedVersions(now::get, meters);
    versions.publish();
    AtomicBoolean done = new AtomicBoolean();
    AtomicInteger scrapes = new AtomicInteger();
    CompletableFuture<Void> scraping =
        CompletableFuture.runAsync(
            () -> {
              while (!done.get()) {
                meters.scrape();
                scrapes.incrementAndGet();
              }
            });
    for (int i = 0; i < 20_000 && !scraping.isDone(); i++) {
      // A canary comes and goes; the champion's version moves.
      now.set(i % 2 == 0 ? state(i % 7 + 1, i % 7 + 2) : state(i % 7 + 1, null));
      versions.publish();
    }
    done.set(true);
    scraping.get(30, TimeUnit.SECONDS); // rethrows what a scrape threw
    assertThat(scrapes.get()).isPositive();

    now.set(state(4, 5));
    versions.publish();
    assertThat(meters.scrape())
        .contains("perennial_serving_served_version{model=\"credit\",role=\"canary\"} 5")
        .contains("perennial_serving_wanted_version{model=\"credit\",role=\"champion\"} 4");
    now.set(state(5, null));
    versions.publish();
    assertThat(meters.scrape())
        .doesNotContain("role=\"canary\"")
        .contains("perennial_serving_served_version{model=\"credit\",role=\"champion\"} 5");
  }
}
