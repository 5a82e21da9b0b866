package dev.perennial.workflows.gate;

import static dev.perennial.workflows.gate.GateRule.f;

import dev.perennial.workflows.training.Evaluation;
import dev.perennial.workflows.training.ModelMetrics;
import dev.perennial.workflows.training.SliceMetrics;
import dev.perennial.workflows.training.SliceResults;
import dev.perennial.workflows.training.Slicing;
import java.util.ArrayList;
import java.util.List;

/** The gate rules over slices behind {@link GateRule}'s slice factories. */
final class SliceRules {
  private SliceRules() {}

  /** A rule that needs the evaluation's slices cut {@code by}. */
  abstract static class SliceRule implements GateRule {
    final Slicing by;

    SliceRule(Slicing by) {
      if (by == null) {
        throw new IllegalArgumentException("a slice rule needs a slicing: Slicing.byValue(...)");
      }
      this.by = by;
    }

    @Override
    public List<Slicing> slicings() {
      return List.of(by);
    }

    @Override
    public GateCheck check(ModelMetrics candidate, ModelMetrics champion, Integer version) {
      throw new IllegalArgumentException(
          "the gate rule over slices of "
              + by
              + " needs the evaluation's slices: decide with ValidationGate.decide(Evaluation,"
              + " Integer) on an evaluation that asked for them");
    }

    @Override
    public GateCheck check(Evaluation evaluation, Integer championVersion) {
      SliceResults results = evaluation.slices(by);
      if (results == null) {
        throw new IllegalArgumentException(
            "the evaluation has no slices of "
                + by
                + ", which a gate rule needs: evaluate with the gate's slicings"
                + " (PipelineRun.evaluate(candidate, gate), or EvaluationJob.slices)");
      }
      return check(results.slices(), evaluation.champion() != null, championVersion);
    }

    abstract GateCheck check(List<SliceMetrics> slices, boolean champion, Integer version);
  }

  /** No slice with at least {@code minRows} rows may lose more than {@code maxLoss} AUC. */
  static final class AucLoss extends SliceRule {
    private final long minRows;
    private final double maxLoss;

    AucLoss(Slicing by, long minRows, double maxLoss) {
      super(by);
      if (minRows < 1) {
        throw new IllegalArgumentException("minRows must be >= 1, got " + minRows);
      }
      if (!(maxLoss >= 0 && maxLoss <= 1)) {
        throw new IllegalArgumentException("maxLoss must be from 0 to 1 AUC, got " + maxLoss);
      }
      this.minRows = minRows;
      this.maxLoss = maxLoss;
    }

    @Override
    GateCheck check(List<SliceMetrics> slices, boolean champion, Integer version) {
      if (!champion) {
        return null;
      }
      SliceMetrics worst = null;
      int judged = 0;
      int failing = 0;
      for (SliceMetrics s : slices) {
        if (s.champion() == null) {
          continue;
        }
        double c = s.candidate().auc();
        double ch = s.champion().auc();
        // A slice of one class has no AUC: nothing to compare.
        if (s.rows() < minRows || Double.isNaN(c) || Double.isNaN(ch)) {
          continue;
        }
        judged++;
        if (ch - c > maxLoss) {
          failing++;
        }
        if (worst == null || ch - c > worst.champion().auc() - worst.candidate().auc()) {
          worst = s;
        }
      }
      if (worst == null) {
        return null;
      }
      double reference = worst.champion().auc();
      String rule =
          "auc of slice "
              + worst.name()
              + " ("
              + worst.rows()
              + " rows; "
              + (failing == 0 ? "worst" : failing + " failing")
              + " of "
              + judged
              + " "
              + by.feature()
              + " slices with >= "
              + minRows
              + " rows) >= champion "
              + f(reference)
              + " - "
              + f(maxLoss)
              + " vs champion v"
              + version;
      return GateCheck.of(rule, worst.candidate().auc(), reference - maxLoss, true);
    }
  }

  /**
   * The candidate's {@code metric} may differ between two groups by at most {@code maxDifference}
   * beyond {@code standardErrors} standard errors of the difference.
   */
  static final class Fairness extends SliceRule {
    private final FairnessMetric metric;
    private final double maxDifference;
    private final double standardErrors;
    private final long minRows;

    Fairness(
        Slicing by,
        FairnessMetric metric,
        double maxDifference,
        double standardErrors,
        long minRows) {
      super(by);
      if (metric == null) {
        throw new IllegalArgumentException("name the metric: POSITIVE_RATE or RECALL");
      }
      if (!(maxDifference >= 0 && maxDifference <= 1)) {
        throw new IllegalArgumentException(
            "maxDifference must be from 0 to 1, got " + maxDifference);
      }
      if (!(standardErrors >= 0 && standardErrors <= 10)) {
        throw new IllegalArgumentException(
            "standardErrors must be from 0 to 10, got " + standardErrors);
      }
      if (minRows < 1) {
        throw new IllegalArgumentException("minRows must be >= 1, got " + minRows);
      }
      this.metric = metric;
      this.maxDifference = maxDifference;
      this.standardErrors = standardErrors;
      this.minRows = minRows;
    }

    @Override
    GateCheck check(List<SliceMetrics> slices, boolean champion, Integer version) {
      List<Group> groups = new ArrayList<>();
      for (SliceMetrics s : slices) {
        Group g = group(s);
        if (g.n >= minRows) {
          groups.add(g);
        }
      }
      if (groups.size() < 2) {
        return null;
      }
      // Every pair, the one furthest beyond its allowance reported: the widest gap is not always
      // the worst once each pair's noise is counted.
      Group high = null;
      Group low = null;
      double worstExcess = Double.NEGATIVE_INFINITY;
      double worstSe = 0;
      for (int i = 0; i < groups.size(); i++) {
        for (int j = i + 1; j < groups.size(); j++) {
          Group a = groups.get(i);
          Group b = groups.get(j);
          Group hi = a.rate >= b.rate ? a : b;
          Group lo = hi == a ? b : a;
          double se = Math.sqrt(hi.variance() + lo.variance());
          double excess = hi.rate - lo.rate - maxDifference - standardErrors * se;
          if (excess > worstExcess) {
            worstExcess = excess;
            high = hi;
            low = lo;
            worstSe = se;
          }
        }
      }
      String what = metric == FairnessMetric.RECALL ? "recall" : "positive rate";
      String unit = metric == FairnessMetric.RECALL ? " positives" : " rows";
      String rule =
          what
              + " difference between "
              + by.feature()
              + " groups <= "
              + f(maxDifference)
              + " + "
              + num(standardErrors)
              + " SE ("
              + f(worstSe)
              + "): "
              + high.slice.name()
              + " "
              + f(high.rate)
              + " ("
              + high.n
              + unit
              + ") vs "
              + low.slice.name()
              + " "
              + f(low.rate)
              + " ("
              + low.n
              + unit
              + ")";
      return GateCheck.of(
          rule, high.rate - low.rate, maxDifference + standardErrors * worstSe, false);
    }

    private Group group(SliceMetrics s) {
      if (metric == FairnessMetric.RECALL) {
        return new Group(s, s.positives(), s.candidate().recall());
      }
      return new Group(s, s.rows(), s.candidatePositiveRate());
    }

    private static String num(double v) {
      return v == Math.rint(v) ? Long.toString((long) v) : f(v);
    }
  }

  /** A group's rate and the count it is a share of. */
  private record Group(SliceMetrics slice, long n, double rate) {
    double variance() {
      return rate * (1 - rate) / n;
    }
  }
}
