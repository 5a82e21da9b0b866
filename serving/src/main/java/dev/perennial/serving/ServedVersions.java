package dev.perennial.serving;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * Shows, per served model, the versions the registry wants beside those this server serves, so a
 * version that cannot load (its artifact changed after it was recorded, S3 unreachable) is seen
 * outside the server's log: the health component {@code models} (status {@link #OUT_OF_SYNC} with
 * the reason while any model differs) and the gauges {@code perennial_serving_wanted_version} and
 * {@code perennial_serving_served_version}, tagged {@code model} and {@code role} (champion,
 * canary).
 */
final class ServedVersions implements HealthIndicator {

  /** Still serving, but not what the registry says. */
  static final Status OUT_OF_SYNC = new Status("OUT_OF_SYNC");

  private final ServedModels models;
  private final MultiGauge wanted;
  private final MultiGauge served;

  ServedVersions(ServedModels models, MeterRegistry meters) {
    this.models = models;
    this.wanted =
        MultiGauge.builder("perennial.serving.wanted.version")
            .description("the version the registry names, per model and role")
            .register(meters);
    this.served =
        MultiGauge.builder("perennial.serving.served.version")
            .description("the version this server serves, per model and role")
            .register(meters);
  }

  /** Publishes the gauges from the last refresh; called after each. */
  void publish() {
    List<MultiGauge.Row<?>> wantedRows = new ArrayList<>();
    List<MultiGauge.Row<?>> servedRows = new ArrayList<>();
    models
        .sync()
        .forEach(
            (model, sync) -> {
              if (sync.wanted() != null) {
                add(wantedRows, model, "champion", sync.wanted().champion());
                add(wantedRows, model, "canary", sync.wanted().canary());
              }
              add(servedRows, model, "champion", sync.servedChampion());
              add(servedRows, model, "canary", sync.servedCanary());
            });
    wanted.register(wantedRows, true);
    served.register(servedRows, true);
  }

  private static void add(List<MultiGauge.Row<?>> rows, String model, String role, Integer v) {
    if (v != null) {
      rows.add(MultiGauge.Row.of(Tags.of("model", model, "role", role), v));
    }
  }

  @Override
  public Health health() {
    Map<String, Object> details = new TreeMap<>();
    boolean inSync = true;
    for (Map.Entry<String, ServedModels.Sync> e : models.sync().entrySet()) {
      ServedModels.Sync sync = e.getValue();
      inSync &= sync.inSync();
      Map<String, Object> model = new LinkedHashMap<>();
      if (sync.wanted() != null) {
        model.put("wanted", versions(sync.wanted().champion(), sync.wanted().canary()));
      }
      model.put("served", versions(sync.servedChampion(), sync.servedCanary()));
      if (sync.problem() != null) {
        model.put("problem", sync.problem());
      }
      details.put(e.getKey(), model);
    }
    return Health.status(inSync ? Status.UP : OUT_OF_SYNC).withDetails(details).build();
  }

  private static Map<String, Integer> versions(Integer champion, Integer canary) {
    Map<String, Integer> versions = new LinkedHashMap<>();
    if (champion != null) {
      versions.put("champion", champion);
    }
    if (canary != null) {
      versions.put("canary", canary);
    }
    return versions;
  }
}
