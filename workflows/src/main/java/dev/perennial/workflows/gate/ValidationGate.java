package dev.perennial.workflows.gate;

import dev.perennial.workflows.training.ModelMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The validation gate: plain deterministic code, run inside the workflow so the decision and its
 * reasons are part of the run's history.
 */
public final class ValidationGate {
  private static final List<String> GUARDED = List.of("accuracy", "f1", "logLoss");

  private ValidationGate() {}

  /**
   * Decides whether {@code candidate} may become champion.
   *
   * @param policy thresholds, defaults applied
   * @param candidate the candidate's held-out metrics
   * @param champion the champion's metrics on the same rows, or null
   * @param championVersion the champion's version number, or null
   */
  public static GateDecision decide(
      GatePolicy policy, ModelMetrics candidate, ModelMetrics champion, Integer championVersion) {
    GatePolicy p = policy.withDefaults();
    List<GateCheck> checks = new ArrayList<>();
    checks.add(atLeast("auc >= " + f(p.minAuc()), candidate.auc(), p.minAuc()));
    checks.add(atMost("logLoss <= " + f(p.maxLogLoss()), candidate.logLoss(), p.maxLogLoss()));
    if (champion != null) {
      String vs = " vs champion v" + championVersion;
      double needed = champion.auc() + p.minImprovement();
      checks.add(
          atLeast(
              "auc >= champion " + f(champion.auc()) + " + " + f(p.minImprovement()) + vs,
              candidate.auc(),
              needed));
      for (String m : GUARDED) {
        boolean lower = ModelMetrics.lowerIsBetter(m);
        double limit =
            lower ? champion.get(m) + p.maxRegression() : champion.get(m) - p.maxRegression();
        String rule =
            m
                + (lower ? " <= " : " >= ")
                + "champion "
                + f(champion.get(m))
                + (lower ? " + " : " - ")
                + f(p.maxRegression())
                + vs;
        checks.add(
            lower ? atMost(rule, candidate.get(m), limit) : atLeast(rule, candidate.get(m), limit));
      }
    }
    List<String> reasons = new ArrayList<>();
    for (GateCheck c : checks) {
      if (!c.passed()) {
        reasons.add("failed " + c.rule() + ": candidate has " + f(c.actual()));
      }
    }
    boolean passed = reasons.isEmpty();
    if (passed) {
      reasons.add(
          champion == null
              ? "passed the absolute thresholds; no champion to compare with"
              : "passed the absolute thresholds and the comparison with champion v"
                  + championVersion
                  + " (auc "
                  + f(candidate.auc())
                  + " vs "
                  + f(champion.auc())
                  + ")");
    }
    return new GateDecision(passed, List.copyOf(reasons), List.copyOf(checks), championVersion);
  }

  private static GateCheck atLeast(String rule, double actual, double limit) {
    return new GateCheck(rule, actual, limit, !Double.isNaN(actual) && actual >= limit);
  }

  private static GateCheck atMost(String rule, double actual, double limit) {
    return new GateCheck(rule, actual, limit, !Double.isNaN(actual) && actual <= limit);
  }

  private static String f(double v) {
    return String.format(Locale.ROOT, "%.4f", v);
  }
}
