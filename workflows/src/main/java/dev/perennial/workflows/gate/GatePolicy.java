package dev.perennial.workflows.gate;

import dev.perennial.workflows.RequestProblems;
import dev.perennial.workflows.training.Slicing;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * When a candidate may replace the champion. Absolute thresholds apply to every candidate; the
 * comparison applies only when there is a champion, scored on the same held-out rows. Rules over
 * slices apply only when listed:
 *
 * <pre>{@code
 * {"minAuc": 0.72,
 *  "sliceAuc": [{"feature": "region", "minRows": 200, "maxLoss": 0.03}],
 *  "fairness": [{"feature": "age", "edges": [30, 45, 60], "metric": "RECALL",
 *                "maxDifference": 0.10}]}
 * }</pre>
 *
 * @param minAuc the candidate's AUC must be at least this (default 0.70)
 * @param maxLogLoss the candidate's log loss must be at most this (default 0.60)
 * @param minImprovement the candidate's AUC must beat the champion's by at least this; 0 means "not
 *     worse" (default 0.0)
 * @param maxRegression no other metric (accuracy, F1, log loss) may be worse than the champion's by
 *     more than this, absolute (default 0.02)
 * @param sliceAuc per-slice AUC rules against the champion (see {@link SliceAucPolicy}); none by
 *     default
 * @param fairness differences between groups of a feature (see {@link FairnessPolicy}); none by
 *     default
 */
public record GatePolicy(
    Double minAuc,
    Double maxLogLoss,
    Double minImprovement,
    Double maxRegression,
    List<SliceAucPolicy> sliceAuc,
    List<FairnessPolicy> fairness) {

  public GatePolicy {
    sliceAuc = sliceAuc == null || sliceAuc.isEmpty() ? null : List.copyOf(sliceAuc);
    fairness = fairness == null || fairness.isEmpty() ? null : List.copyOf(fairness);
  }

  /** A policy of thresholds only, without rules over slices. */
  public GatePolicy(Double minAuc, Double maxLogLoss, Double minImprovement, Double maxRegression) {
    this(minAuc, maxLogLoss, minImprovement, maxRegression, null, null);
  }

  public static GatePolicy defaults() {
    return new GatePolicy(null, null, null, null).withDefaults();
  }

  public GatePolicy withDefaults() {
    return new GatePolicy(
        minAuc == null ? 0.70 : minAuc,
        maxLogLoss == null ? 0.60 : maxLogLoss,
        minImprovement == null ? 0.0 : minImprovement,
        maxRegression == null ? 0.02 : maxRegression,
        sliceAuc == null ? null : sliceAuc.stream().map(SliceAucPolicy::withDefaults).toList(),
        fairness == null ? null : fairness.stream().map(FairnessPolicy::withDefaults).toList());
  }

  /** This policy with one more per-slice AUC rule. */
  public GatePolicy withSliceAuc(SliceAucPolicy rule) {
    List<SliceAucPolicy> more = sliceAuc == null ? new ArrayList<>() : new ArrayList<>(sliceAuc);
    more.add(rule);
    return new GatePolicy(minAuc, maxLogLoss, minImprovement, maxRegression, more, fairness);
  }

  /** This policy with one more fairness rule. */
  public GatePolicy withFairness(FairnessPolicy rule) {
    List<FairnessPolicy> more = fairness == null ? new ArrayList<>() : new ArrayList<>(fairness);
    more.add(rule);
    return new GatePolicy(minAuc, maxLogLoss, minImprovement, maxRegression, sliceAuc, more);
  }

  /** The distinct slicings the rules over slices need, in the order they are listed. */
  public List<Slicing> slicings() {
    Set<Slicing> all = new LinkedHashSet<>();
    if (sliceAuc != null) {
      sliceAuc.forEach(r -> all.add(r.slicing()));
    }
    if (fairness != null) {
      fairness.forEach(r -> all.add(r.slicing()));
    }
    return List.copyOf(all);
  }

  public List<String> problems(String path) {
    RequestProblems p =
        new RequestProblems()
            .range(path + ".minAuc", minAuc, 0, 1)
            .range(path + ".maxLogLoss", maxLogLoss, 0, 100)
            .range(path + ".minImprovement", minImprovement, -1, 1)
            .range(path + ".maxRegression", maxRegression, 0, 100);
    if (sliceAuc != null) {
      for (int i = 0; i < sliceAuc.size(); i++) {
        SliceAucPolicy r = sliceAuc.get(i);
        p.addAll(
            r == null
                ? List.of(path + ".sliceAuc[" + i + "]: is null")
                : r.problems(path + ".sliceAuc[" + i + "]"));
      }
    }
    if (fairness != null) {
      for (int i = 0; i < fairness.size(); i++) {
        FairnessPolicy r = fairness.get(i);
        p.addAll(
            r == null
                ? List.of(path + ".fairness[" + i + "]: is null")
                : r.problems(path + ".fairness[" + i + "]"));
      }
    }
    if (p.list().isEmpty()) {
      int n = slicings().size();
      p.require(
          n <= Slicing.MAX_SLICINGS,
          path,
          "the rules over slices cut the rows "
              + n
              + " ways; at most "
              + Slicing.MAX_SLICINGS
              + " (feature, edges) pairs per evaluation");
    }
    return p.list();
  }
}
