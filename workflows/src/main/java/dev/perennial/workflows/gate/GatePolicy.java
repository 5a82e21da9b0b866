package dev.perennial.workflows.gate;

import dev.perennial.workflows.RequestProblems;
import java.util.List;

/**
 * When a candidate may replace the champion. Absolute thresholds apply to every candidate; the
 * comparison applies only when there is a champion, scored on the same held-out rows.
 *
 * @param minAuc the candidate's AUC must be at least this (default 0.70)
 * @param maxLogLoss the candidate's log loss must be at most this (default 0.60)
 * @param minImprovement the candidate's AUC must beat the champion's by at least this; 0 means "not
 *     worse" (default 0.0)
 * @param maxRegression no other metric (accuracy, F1, log loss) may be worse than the champion's by
 *     more than this, absolute (default 0.02)
 */
public record GatePolicy(
    Double minAuc, Double maxLogLoss, Double minImprovement, Double maxRegression) {

  public static GatePolicy defaults() {
    return new GatePolicy(null, null, null, null).withDefaults();
  }

  public GatePolicy withDefaults() {
    return new GatePolicy(
        minAuc == null ? 0.70 : minAuc,
        maxLogLoss == null ? 0.60 : maxLogLoss,
        minImprovement == null ? 0.0 : minImprovement,
        maxRegression == null ? 0.02 : maxRegression);
  }

  public List<String> problems(String path) {
    return new RequestProblems()
        .range(path + ".minAuc", minAuc, 0, 1)
        .range(path + ".maxLogLoss", maxLogLoss, 0, 100)
        .range(path + ".minImprovement", minImprovement, -1, 1)
        .range(path + ".maxRegression", maxRegression, 0, 100)
        .list();
  }
}
