package dev.perennial.workflows.gate;

import dev.perennial.workflows.training.Evaluation;
import dev.perennial.workflows.training.ModelMetrics;
import dev.perennial.workflows.training.Slicing;
import java.util.List;
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
 *
 * <p>Rules over slices of the held-out rows read the evaluation's per-slice metrics, so the
 * evaluation must have computed the slices they name ({@link ValidationGate#slicings()}; {@code
 * PipelineRun.evaluate(candidate, gate)} asks for them):
 *
 * <pre>{@code
 * ValidationGate fair =
 *     ValidationGate.of(
 *         GateRule.atLeast("auc", 0.70),
 *         GateRule.noSliceLosesAuc(Slicing.byValue("region"), 200, 0.03),
 *         GateRule.fairness(Slicing.byBuckets("age", 30, 45, 60), FairnessMetric.RECALL, 0.10));
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

  /**
   * The check this rule makes on a whole evaluation, or null when it does not apply. Rules over
   * overall metrics need not override it; rules over slices do.
   */
  default GateCheck check(Evaluation evaluation, Integer championVersion) {
    return check(evaluation.candidate(), evaluation.champion(), championVersion);
  }

  /** The slicings this rule reads from the evaluation; none for rules over overall metrics. */
  default List<Slicing> slicings() {
    return List.of();
  }

  /**
   * No slice of the held-out rows cut {@code by} with at least {@code minRows} rows may have an AUC
   * lower than the champion's on the same slice by more than {@code maxLoss}. A failing check names
   * the slice that lost most ({@code region=south}), its rows, and both AUCs. Applies only when
   * there is a champion and at least one slice has {@code minRows} rows of both classes.
   */
  static GateRule noSliceLosesAuc(Slicing by, long minRows, double maxLoss) {
    return new SliceRules.AucLoss(by, minRows, maxLoss);
  }

  /**
   * The candidate's {@code metric} may differ between any two groups of the rows cut {@code by} by
   * at most {@code maxDifference}, with 2 standard errors of slack and groups of at least 100 rows
   * (for recall: positives); see {@link #fairness(Slicing, FairnessMetric, double, double, long)}.
   */
  static GateRule fairness(Slicing by, FairnessMetric metric, double maxDifference) {
    return fairness(by, metric, maxDifference, 2, 100);
  }

  /**
   * The candidate's {@code metric} (share predicted positive, or recall) may differ between any two
   * groups of the held-out rows cut {@code by} by at most {@code maxDifference}. A difference is
   * held against the candidate only when it exceeds {@code maxDifference} by more than {@code
   * standardErrors} standard errors of that difference ({@code sqrt(p1(1-p1)/n1 + p2(1-p2)/n2)}),
   * so a few unlucky rows in a small group do not refuse a fair model; 0 makes it a plain bound.
   * Groups with fewer than {@code minRows} rows (for recall: positives) are left out. The check
   * names the pair of groups furthest beyond the bound. Applies, champion or not, when at least two
   * groups are large enough.
   */
  static GateRule fairness(
      Slicing by,
      FairnessMetric metric,
      double maxDifference,
      double standardErrors,
      long minRows) {
    return new SliceRules.Fairness(by, metric, maxDifference, standardErrors, minRows);
  }

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
