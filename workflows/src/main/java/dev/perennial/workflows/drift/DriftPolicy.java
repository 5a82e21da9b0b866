package dev.perennial.workflows.drift;

import dev.perennial.workflows.Durations;
import dev.perennial.workflows.RequestProblems;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * When served traffic has drifted far enough from the champion's training data to retrain. Every
 * field is optional; {@link #withDefaults()} fills in the rest.
 *
 * <p>A feature has drifted when its population stability index (PSI, over the training deciles or
 * categories) reaches {@code psi} <em>and</em> its distribution test (two-sample Kolmogorov–Smirnov
 * for numbers, chi-square for categories) has a p-value below {@code pValue}. Both are asked for
 * because on a big window a test alone flags differences too small to matter, and on a small one
 * PSI alone flags noise. The window breaches when any of these holds:
 *
 * <ul>
 *   <li>the share of drifted features reaches {@code driftedShare};
 *   <li>a feature listed in {@code critical} has drifted;
 *   <li>online log loss from feedback labels exceeds the champion's evaluation log loss by more
 *       than {@code maxLogLossIncrease}, and by more than {@code standardErrors} standard errors,
 *       once {@code minLabels} labels arrived (concept drift: same inputs, new answers).
 * </ul>
 *
 * @param interval how often the monitor measures: 90s, 15m, 1h, PT1H (default 1h)
 * @param window how much recent traffic each measurement covers (default: the interval)
 * @param minRows served rows a window needs before it is judged (default 500)
 * @param psi PSI at which a feature counts as drifted (default 0.2, the customary "significant
 *     shift")
 * @param pValue test p-value below which a difference counts as real (default 0.01)
 * @param features per-feature overrides of {@code psi} and {@code pValue}, by feature name
 * @param driftedShare share of drifted features that breaches (default 0.3)
 * @param critical features whose drift alone breaches (default none)
 * @param maxLogLossIncrease allowed rise of online log loss over the champion's evaluation (default
 *     0.1)
 * @param minLabels feedback labels needed before quality is judged (default 200)
 * @param standardErrors how many standard errors the log-loss rise must also exceed (default 2)
 * @param cooldown after starting a retraining, no other starts before this passed (default 24h); a
 *     retraining still running is never started twice either way
 * @param keepReports how many recent reports the monitor keeps queryable (default 20)
 */
public record DriftPolicy(
    String interval,
    String window,
    Integer minRows,
    Double psi,
    Double pValue,
    Map<String, FeatureThreshold> features,
    Double driftedShare,
    List<String> critical,
    Double maxLogLossIncrease,
    Integer minLabels,
    Double standardErrors,
    String cooldown,
    Integer keepReports) {

  /**
   * Thresholds for one feature; a null field keeps the policy's.
   *
   * @param psi PSI at which this feature counts as drifted
   * @param pValue p-value below which its difference counts as real
   */
  public record FeatureThreshold(Double psi, Double pValue) {}

  private static final Duration MIN_INTERVAL = Duration.ofSeconds(1);
  private static final Duration MAX_INTERVAL = Duration.ofDays(30);

  public static DriftPolicy defaults() {
    return builder().build().withDefaults();
  }

  /**
   * A policy to fill in field by field, every field unset (a default):
   *
   * <pre>{@code
   * DriftPolicy.builder().interval("15m").cooldown("6h").build()
   * }</pre>
   */
  public static Builder builder() {
    return new Builder();
  }

  public DriftPolicy withDefaults() {
    String i = interval == null ? "1h" : interval;
    return new DriftPolicy(
        i,
        window == null ? i : window,
        minRows == null ? 500 : minRows,
        psi == null ? 0.2 : psi,
        pValue == null ? 0.01 : pValue,
        features == null ? Map.of() : Map.copyOf(features),
        driftedShare == null ? 0.3 : driftedShare,
        critical == null ? List.of() : List.copyOf(critical),
        maxLogLossIncrease == null ? 0.1 : maxLogLossIncrease,
        minLabels == null ? 200 : minLabels,
        standardErrors == null ? 2.0 : standardErrors,
        cooldown == null ? "24h" : cooldown,
        keepReports == null ? 20 : keepReports);
  }

  /** The measuring interval; call on a validated policy. */
  public Duration every() {
    return Durations.parse(interval);
  }

  /** The span of traffic each measurement covers; call on a validated policy. */
  public Duration span() {
    return Durations.parse(window);
  }

  /** The cooldown after a retraining start; call on a validated policy. */
  public Duration quiet() {
    return Durations.parse(cooldown);
  }

  /** PSI threshold of {@code feature}: its override or the policy's; call on a defaulted policy. */
  public double psiOf(String feature) {
    FeatureThreshold t = features.get(feature);
    return t == null || t.psi() == null ? psi : t.psi();
  }

  /** P-value threshold of {@code feature}; call on a defaulted policy. */
  public double pValueOf(String feature) {
    FeatureThreshold t = features.get(feature);
    return t == null || t.pValue() == null ? pValue : t.pValue();
  }

  /** Every problem, each naming its field under {@code path}; empty when valid. */
  public List<String> problems(String path) {
    RequestProblems p = new RequestProblems();
    p.duration(path + ".interval", interval, MIN_INTERVAL, MAX_INTERVAL);
    p.duration(path + ".window", window, MIN_INTERVAL, MAX_INTERVAL);
    p.range(path + ".minRows", minRows, 1, 1e9);
    p.range(path + ".psi", psi, 0, 100);
    p.range(path + ".pValue", pValue, 0, 1);
    if (features != null) {
      for (Map.Entry<String, FeatureThreshold> e : new LinkedHashMap<>(features).entrySet()) {
        String f = path + ".features." + e.getKey();
        p.require(e.getValue() != null, f, "must be an object such as {\"psi\": 0.1}");
        if (e.getValue() != null) {
          p.range(f + ".psi", e.getValue().psi(), 0, 100);
          p.range(f + ".pValue", e.getValue().pValue(), 0, 1);
        }
      }
    }
    p.range(path + ".driftedShare", driftedShare, 0, 1);
    if (critical != null) {
      for (int i = 0; i < critical.size(); i++) {
        p.require(
            critical.get(i) != null && !critical.get(i).isBlank(),
            path + ".critical[" + i + "]",
            "must name a feature");
      }
    }
    p.range(path + ".maxLogLossIncrease", maxLogLossIncrease, 0, 100);
    p.range(path + ".minLabels", minLabels, 1, 1e9);
    p.range(path + ".standardErrors", standardErrors, 0, 10);
    p.duration(path + ".cooldown", cooldown, Duration.ZERO, Duration.ofDays(365));
    p.range(path + ".keepReports", keepReports, 1, 200);
    return p.list();
  }

  /** Builds a {@link DriftPolicy}; what is not set stays null and takes its default. */
  public static final class Builder {
    private String interval;
    private String window;
    private Integer minRows;
    private Double psi;
    private Double pValue;
    private Map<String, FeatureThreshold> features;
    private Double driftedShare;
    private List<String> critical;
    private Double maxLogLossIncrease;
    private Integer minLabels;
    private Double standardErrors;
    private String cooldown;
    private Integer keepReports;

    private Builder() {}

    public Builder interval(String interval) {
      this.interval = interval;
      return this;
    }

    public Builder window(String window) {
      this.window = window;
      return this;
    }

    public Builder minRows(Integer minRows) {
      this.minRows = minRows;
      return this;
    }

    public Builder psi(Double psi) {
      this.psi = psi;
      return this;
    }

    public Builder pValue(Double pValue) {
      this.pValue = pValue;
      return this;
    }

    public Builder features(Map<String, FeatureThreshold> features) {
      this.features = features;
      return this;
    }

    public Builder driftedShare(Double driftedShare) {
      this.driftedShare = driftedShare;
      return this;
    }

    public Builder critical(List<String> critical) {
      this.critical = critical;
      return this;
    }

    public Builder maxLogLossIncrease(Double maxLogLossIncrease) {
      this.maxLogLossIncrease = maxLogLossIncrease;
      return this;
    }

    public Builder minLabels(Integer minLabels) {
      this.minLabels = minLabels;
      return this;
    }

    public Builder standardErrors(Double standardErrors) {
      this.standardErrors = standardErrors;
      return this;
    }

    public Builder cooldown(String cooldown) {
      this.cooldown = cooldown;
      return this;
    }

    public Builder keepReports(Integer keepReports) {
      this.keepReports = keepReports;
      return this;
    }

    public DriftPolicy build() {
      return new DriftPolicy(
          interval,
          window,
          minRows,
          psi,
          pValue,
          features,
          driftedShare,
          critical,
          maxLogLossIncrease,
          minLabels,
          standardErrors,
          cooldown,
          keepReports);
    }
  }
}
