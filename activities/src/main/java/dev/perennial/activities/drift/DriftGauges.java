package dev.perennial.activities.drift;

import dev.perennial.workflows.drift.DriftReport;
import dev.perennial.workflows.drift.DriftVerdict;
import dev.perennial.workflows.drift.FeatureDrift;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The latest drift figures per model and feature as Micrometer gauges, for dashboards and alerts:
 * {@code perennial.drift.psi}, {@code perennial.drift.js} (Jensen–Shannon distance) and {@code
 * perennial.drift.ks} per {@code model} and {@code feature}; {@code perennial.drift.features} (how
 * many drifted), {@code perennial.drift.rows} and {@code perennial.drift.breach} (1 when the latest
 * window breached the policy) per model. Tags are model and feature names, which the registry's
 * schemas bound, never window or run ids.
 *
 * <p>A figure that could not be measured in the latest window reads NaN, so a stale value is never
 * shown as current.
 */
public final class DriftGauges {
  private final MeterRegistry registry;
  private final Map<String, AtomicReference<Double>> values = new ConcurrentHashMap<>();

  public DriftGauges(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Publishes the figures of {@code report}. */
  public void record(DriftReport report) {
    String model = report.model();
    for (FeatureDrift f : report.features()) {
      set("perennial.drift.psi", "Population stability index vs training", model, f, f.psi());
      set("perennial.drift.js", "Jensen-Shannon distance vs training", model, f, f.jsDistance());
      set("perennial.drift.ks", "Kolmogorov-Smirnov statistic vs training", model, f, f.ks());
    }
    set(
        "perennial.drift.features",
        "Features counted as drifted in the latest window",
        model,
        null,
        (double) report.decision().driftedFeatures());
    set(
        "perennial.drift.rows",
        "Served rows in the latest drift window",
        model,
        null,
        (double) report.rows());
    set(
        "perennial.drift.breach",
        "1 when the latest drift window breached the policy",
        model,
        null,
        report.decision().verdict() == DriftVerdict.DRIFT ? 1.0 : 0.0);
  }

  private void set(String name, String description, String model, FeatureDrift f, Double value) {
    String feature = f == null ? null : f.feature();
    String key = name + '|' + model + '|' + (feature == null ? "" : feature);
    AtomicReference<Double> holder =
        values.computeIfAbsent(
            key,
            k -> {
              AtomicReference<Double> h = new AtomicReference<>(Double.NaN);
              Gauge.Builder<AtomicReference<Double>> b =
                  Gauge.builder(name, h, r -> r.get()).description(description).tag("model", model);
              if (feature != null) {
                b = b.tag("feature", feature);
              }
              b.register(registry);
              return h;
            });
    holder.set(value == null ? Double.NaN : value);
  }
}
