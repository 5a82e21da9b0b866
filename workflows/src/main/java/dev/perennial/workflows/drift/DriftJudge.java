package dev.perennial.workflows.drift;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Applies a {@link DriftPolicy} to a window's figures. Pure and deterministic: the activity uses it
 * to write the decision into the report, and tests pin the rules down without any I/O.
 */
public final class DriftJudge {

  /**
   * The judged figures.
   *
   * @param features per feature with {@code drifted}, {@code critical} and a finding; drifted
   *     first, then by PSI, highest first
   * @param quality online quality with {@code degraded} and a finding
   * @param decision the verdict and its reasons
   */
  public record Judgement(
      List<FeatureDrift> features, QualityDrift quality, DriftDecision decision) {}

  private DriftJudge() {}

  /**
   * Judges one window.
   *
   * @param policy a defaulted policy
   * @param champion the champion's version, null when the model has none
   * @param rows served rows in the window
   * @param features measured figures per feature (their {@code drifted} flags are ignored)
   * @param quality measured online quality
   */
  public static Judgement judge(
      DriftPolicy policy,
      Integer champion,
      long rows,
      List<FeatureDrift> features,
      QualityDrift quality) {
    if (champion == null) {
      return new Judgement(
          features,
          quality,
          new DriftDecision(
              DriftVerdict.NO_CHAMPION,
              List.of("no champion yet: nothing to compare served traffic with"),
              0,
              0));
    }
    if (rows < policy.minRows()) {
      List<FeatureDrift> unjudged = new ArrayList<>();
      for (FeatureDrift f : features) {
        unjudged.add(
            f.judged(false, policy.critical().contains(f.feature()), "too few rows to judge"));
      }
      List<String> reasons = new ArrayList<>();
      reasons.add(rows + " rows served, the policy needs " + policy.minRows());
      reasons.addAll(policyNotes(policy, features));
      return new Judgement(
          unjudged,
          quality.judged(false, "too few rows to judge"),
          new DriftDecision(DriftVerdict.TOO_FEW_ROWS, reasons, 0, 0));
    }

    List<FeatureDrift> judged = new ArrayList<>();
    List<String> reasons = new ArrayList<>();
    int drifted = 0;
    int judgeable = 0;
    for (FeatureDrift f : features) {
      boolean critical = policy.critical().contains(f.feature());
      FeatureDrift j = feature(policy, f, critical);
      judged.add(j);
      if (j.count() > 0 || j.drifted()) {
        judgeable++;
      }
      if (j.drifted()) {
        drifted++;
        if (critical) {
          reasons.add("critical feature " + f.feature() + " drifted: " + j.finding());
        }
      }
    }
    if (judgeable > 0 && drifted >= policy.driftedShare() * judgeable && drifted > 0) {
      reasons.add(
          0,
          drifted
              + " of "
              + judgeable
              + " features drifted ("
              + pct((double) drifted / judgeable)
              + " ≥ "
              + pct(policy.driftedShare())
              + ")");
    }
    QualityDrift q = quality(policy, quality);
    if (q.degraded()) {
      reasons.add("online quality dropped: " + q.finding());
    }
    judged.sort(
        Comparator.comparing((FeatureDrift f) -> !f.drifted())
            .thenComparing(FeatureDrift::psi, Comparator.nullsLast(Comparator.reverseOrder())));
    DriftVerdict verdict = reasons.isEmpty() ? DriftVerdict.NO_DRIFT : DriftVerdict.DRIFT;
    if (reasons.isEmpty()) {
      reasons.add(
          drifted
              + " of "
              + judgeable
              + " features drifted (below "
              + pct(policy.driftedShare())
              + "), no critical feature drifted; "
              + q.finding());
    }
    reasons.addAll(policyNotes(policy, features));
    return new Judgement(judged, q, new DriftDecision(verdict, reasons, drifted, judgeable));
  }

  /**
   * Names in the policy that the model has no feature of: a misspelt critical feature would
   * otherwise never breach, silently. Said after the verdict's reasons; they change no verdict.
   */
  private static List<String> policyNotes(DriftPolicy policy, List<FeatureDrift> features) {
    java.util.Set<String> known = new java.util.HashSet<>();
    for (FeatureDrift f : features) {
      known.add(f.feature());
    }
    List<String> notes = new ArrayList<>();
    for (String name : policy.critical()) {
      if (!known.contains(name)) {
        notes.add("policy names critical feature '" + name + "', which this model does not have");
      }
    }
    for (String name : new java.util.TreeSet<>(policy.features().keySet())) {
      if (!known.contains(name)) {
        notes.add("policy sets thresholds for '" + name + "', which this model does not have");
      }
    }
    return notes;
  }

  private static FeatureDrift feature(DriftPolicy policy, FeatureDrift f, boolean critical) {
    if (f.count() == 0) {
      // Every served row lacks the feature. If training had values, an upstream field was lost:
      // that is drift, and the statistics cannot show it because they compare present values.
      boolean lost = f.referenceMissingRate() < 1.0;
      return f.judged(
          lost,
          critical,
          lost
              ? "no values served (training had " + pct(1 - f.referenceMissingRate()) + " present)"
              : "no values, in training either");
    }
    double psiLimit = policy.psiOf(f.feature());
    double pLimit = policy.pValueOf(f.feature());
    Double p = f.pValue();
    if (f.psi() == null || p == null) {
      return f.judged(false, critical, "not enough values for the statistics");
    }
    boolean large = f.psi() >= psiLimit;
    boolean real = p < pLimit;
    String test = f.ksPValue() != null ? "KS" : "chi-square";
    String finding =
        "PSI "
            + num(f.psi())
            + (large ? " ≥ " : " < ")
            + num(psiLimit)
            + ", "
            + test
            + " p "
            + pValue(p)
            + (real ? " < " : " ≥ ")
            + num(pLimit);
    if (large && !real) {
      finding += " (shift not significant on this many rows)";
    } else if (!large && real) {
      finding += " (significant but small)";
    }
    return f.judged(large && real, critical, finding);
  }

  private static QualityDrift quality(DriftPolicy policy, QualityDrift q) {
    if (q.labels() < policy.minLabels()) {
      return q.judged(false, q.labels() + " feedback labels, quality needs " + policy.minLabels());
    }
    if (q.logLoss() == null || q.championLogLoss() == null) {
      return q.judged(false, "no evaluation log loss to compare with");
    }
    double rise = q.logLoss() - q.championLogLoss();
    double noise =
        policy.standardErrors() * (q.logLossStdError() == null ? 0 : q.logLossStdError());
    boolean beyondAllowance = rise > policy.maxLogLossIncrease();
    boolean beyondNoise = rise > noise;
    String finding =
        "online log loss "
            + num(q.logLoss())
            + " vs "
            + num(q.championLogLoss())
            + " at evaluation ("
            + (rise >= 0 ? "+" : "")
            + num(rise)
            + ", allowed +"
            + num(policy.maxLogLossIncrease())
            + ", noise ±"
            + num(noise)
            + ", "
            + q.labels()
            + " labels)";
    if (beyondAllowance && !beyondNoise) {
      finding += ", within noise";
    }
    return q.judged(beyondAllowance && beyondNoise, finding);
  }

  private static String num(double x) {
    return String.format(Locale.ROOT, "%.3f", x);
  }

  private static String pValue(double p) {
    return p < 0.001 ? String.format(Locale.ROOT, "%.1e", p) : num(p);
  }

  private static String pct(double share) {
    return String.format(Locale.ROOT, "%.0f%%", share * 100);
  }
}
