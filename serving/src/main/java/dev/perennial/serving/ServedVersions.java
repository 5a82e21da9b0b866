package dev.perennial.serving;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * Shows, per served model, the versions the registry wants beside those this server serves, so a
 * version that cannot load (its artifact changed after it was recorded, S3 unreachable) is seen
 * outside the server's log: the health component {@code models} (status {@link #OUT_OF_SYNC} with
 * the reason while any model differs) and the gauges {@code perennial_serving_wanted_version} and
 * {@code perennial_serving_served_version}, tagged {@code model} and {@code role} (champion,
 * canary, shadow). {@code perennial_serving_champion_registered_timestamp_seconds} per {@code
 * model} is when the served champion was registered: how old the model answering requests is, for
 * an alert when no retraining has been promoted for days.
 */
final class ServedVersions implements HealthIndicator {

  /** Still serving, but not what the registry says. */
  static final Status OUT_OF_SYNC = new Status("OUT_OF_SYNC");

  private static final String WANTED = "perennial.serving.wanted.version";
  private static final String SERVED = "perennial.serving.served.version";
  private static final String CHAMPION_REGISTERED =
      "perennial.serving.champion.registered.timestamp";

  /** One gauge's identity: its name and its model and role tags (role null: no such tag). */
  private record Series(String name, String model, String role) {}

  private final Supplier<Map<String, ServedModels.Sync>> models;
  private final MeterRegistry meters;

  /**
   * Each series is registered once and then only its value changes: re-registering gauges on every
   * refresh (a MultiGauge with overwrite) raced with scrapes, which then saw one series twice.
   */
  private final Map<Series, AtomicLong> values = new HashMap<>();

  private final Map<Series, Gauge> gauges = new HashMap<>();

  ServedVersions(ServedModels models, MeterRegistry meters) {
    this(models::sync, meters);
  }

  /** Over any source of the models' sync states (tests). */
  ServedVersions(Supplier<Map<String, ServedModels.Sync>> models, MeterRegistry meters) {
    this.models = models;
    this.meters = meters;
  }

  /** Publishes the gauges from the last refresh; called after each. */
  synchronized void publish() {
    Map<Series, Long> now = new HashMap<>();
    models
        .get()
        .forEach(
            (model, sync) -> {
              if (sync.wanted() != null) {
                put(now, WANTED, model, "champion", sync.wanted().champion());
                put(now, WANTED, model, "canary", sync.wanted().canary());
                put(now, WANTED, model, "shadow", sync.wanted().shadow());
              }
              put(now, SERVED, model, "champion", sync.servedChampion());
              put(now, SERVED, model, "canary", sync.servedCanary());
              put(now, SERVED, model, "shadow", sync.servedShadow());
              if (sync.championRegistered() != null) {
                now.put(
                    new Series(CHAMPION_REGISTERED, model, null),
                    sync.championRegistered().getEpochSecond());
              }
            });
    now.forEach((series, version) -> values.computeIfAbsent(series, this::register).set(version));
    for (Series gone : List.copyOf(gauges.keySet())) {
      if (!now.containsKey(gone)) {
        meters.remove(gauges.remove(gone));
        values.remove(gone);
      }
    }
  }

  private AtomicLong register(Series series) {
    AtomicLong value = new AtomicLong();
    Gauge.Builder<AtomicLong> gauge =
        Gauge.builder(series.name(), value, AtomicLong::get).strongReference(true);
    gauge =
        switch (series.name()) {
          case WANTED -> gauge.description("the version the registry names, per model and role");
          case SERVED -> gauge.description("the version this server serves, per model and role");
          default ->
              gauge.description("when the served champion was registered").baseUnit("seconds");
        };
    Tags tags =
        series.role() == null
            ? Tags.of("model", series.model())
            : Tags.of("model", series.model(), "role", series.role());
    gauges.put(series, gauge.tags(tags).register(meters));
    return value;
  }

  private static void put(
      Map<Series, Long> now, String name, String model, String role, Integer v) {
    if (v != null) {
      now.put(new Series(name, model, role), v.longValue());
    }
  }

  @Override
  public Health health() {
    Map<String, Object> details = new TreeMap<>();
    boolean inSync = true;
    for (Map.Entry<String, ServedModels.Sync> e : models.get().entrySet()) {
      ServedModels.Sync sync = e.getValue();
      inSync &= sync.inSync();
      Map<String, Object> model = new LinkedHashMap<>();
      if (sync.wanted() != null) {
        model.put(
            "wanted",
            versions(sync.wanted().champion(), sync.wanted().canary(), sync.wanted().shadow()));
      }
      model.put(
          "served", versions(sync.servedChampion(), sync.servedCanary(), sync.servedShadow()));
      if (sync.problem() != null) {
        model.put("problem", sync.problem());
      }
      details.put(e.getKey(), model);
    }
    return Health.status(inSync ? Status.UP : OUT_OF_SYNC).withDetails(details).build();
  }

  private static Map<String, Integer> versions(Integer champion, Integer canary, Integer shadow) {
    Map<String, Integer> versions = new LinkedHashMap<>();
    if (champion != null) {
      versions.put("champion", champion);
    }
    if (canary != null) {
      versions.put("canary", canary);
    }
    if (shadow != null) {
      versions.put("shadow", shadow);
    }
    return versions;
  }
}
