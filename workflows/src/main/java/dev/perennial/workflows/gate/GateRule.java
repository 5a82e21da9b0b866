package dev.perennial.workflows.gate;

import dev.perennial.workflows.training.ModelMetrics;
import java.util.Locale;

/**
 * One rule of a {@link ValidationGate}: deterministic code over the candidate's held-out metrics
 * and, when there is one, the champion's on the same rows. Rules run inside workflow code, so a
 * rule of your own must not do I/O, read clocks or draw random numbers.
 *
 * <p>The factories cover the usual rules; metric names are those of {@link ModelMetrics#get}:
 *
 * <pre>{@code
 * ValidationGate gate =
 *     ValidationGate.of(
 *         GateRule.atLeast("auc", 0.70),
 *         GateRule.beatsChampion("auc", 0.005),
 *         GateRule.noWorseThanChampion("logLoss"));
 * }</pre>
 */
@FunctionalInterface
public interface GateRule {

  /**
   * The check this rule makes, or null when it does not apply (a rule relative to the champion,
   * when there is none).
   *
   * @param candidate the candidate's held-out metrics
   * @param champion the champion's metrics on the same rows, or null without a champion
   * @param championVersion the champion's version, or null
   */
  GateCheck check(ModelMetrics candidate, ModelMetrics champion, Integer championVersion);

  /** The candidate's {@code metric} must be at least {@code bound}, champion or not. */
  static GateRule atLeast(String metric, double bound) {
    requireMetric(metric);
    return (candidate, champion, v) ->
        GateCheck.of(metric + " >= " + f(bound), candidate.get(metric), bound, true);
  }

  /** The candidate's {@code metric} must be at most {@code bound}, champion or not. */
  static GateRule atMost(String metric, double bound) {
    requireMetric(metric);
    return (candidate, champion, v) ->
        GateCheck.of(metric + " <= " + f(bound), candidate.get(metric), bound, false);
  }

  /**
   * The candidate must be better than the champion on {@code metric} by at least {@code margin}
   * (higher for most metrics, lower for log loss). A margin of 0 means "not worse"; a negative one
   * allows that much loss. Applies only when there is a champion.
   */
  static GateRule beatsChampion(String metric, double margin) {
    return relative(metric, margin, false);
  }

  /**
   * The candidate may be worse than the champion on {@code metric} by at most {@code tolerance}.
   * Applies only when there is a champion.
   */
  static GateRule noWorseThanChampion(String metric, double tolerance) {
    if (!(tolerance >= 0)) {
      throw new IllegalArgumentException(
          "tolerance must be >= 0, got " + tolerance + ": use beatsChampion to ask for a gain");
    }
    return relative(metric, tolerance, true);
  }

  /** The candidate must be at least as good as the champion on {@code metric}. */
  static GateRule noWorseThanChampion(String metric) {
    return noWorseThanChampion(metric, 0.0);
  }

  /**
   * Candidate vs champion: {@code amount} is the gain asked for, or with {@code tolerance} the loss
   * allowed. The rule reads as the bound it sets, e.g. {@code auc >= champion 0.8000 + 0.0050} or
   * {@code logLoss <= champion 0.4000 + 0.0200}.
   */
  private static GateRule relative(String metric, double amount, boolean tolerance) {
    requireMetric(metric);
    boolean lower = ModelMetrics.lowerIsBetter(metric);
    boolean up = lower == tolerance;
    return (candidate, champion, version) -> {
      if (champion == null) {
        return null;
      }
      double reference = champion.get(metric);
      String rule =
          metric
              + (lower ? " <= " : " >= ")
              + "champion "
              + f(reference)
              + (up ? " + " : " - ")
              + f(amount)
              + " vs champion v"
              + version;
      double limit = up ? reference + amount : reference - amount;
      return GateCheck.of(rule, candidate.get(metric), limit, !lower);
    };
  }

  private static void requireMetric(String metric) {
    new ModelMetrics(0, 0, 0, 0, 0, 0, 0).get(metric);
  }

  /** Four decimals, as every gate rule and reason shows its numbers. */
  static String f(double v) {
    return String.format(Locale.ROOT, "%.4f", v);
  }
}
