package dev.perennial.workflows.canary;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Decides a canary or shadow step from the two versions' figures and the policy. Pure and
 * deterministic, so it runs inside the workflow and is tested on its own.
 */
public final class CanaryJudge {
  private CanaryJudge() {}

  /** The verdict plus one line per check; breached checks first when there are any. */
  public record Judgement(Verdict verdict, List<String> findings, List<String> breaches) {}

  /**
   * @param policy a policy with defaults filled in
   * @param champion the champion's figures to compare with; may be null when there are none
   * @param canary the canary's figures over the step's window
   */
  public static Judgement judge(CanaryPolicy policy, VersionStats champion, VersionStats canary) {
    return judge(policy, RolloutMode.CANARY, champion, canary, null);
  }

  /**
   * A step of a rollout in {@code mode}: a shadow is judged by the canary's checks, then by the
   * row-by-row comparison's (agreement and score shift, each judged when the policy sets its
   * threshold, reported either way).
   *
   * @param shadow the shadow's comparison with the champion; null for a canary, or when none was
   *     made
   */
  public static Judgement judge(
      CanaryPolicy policy,
      RolloutMode mode,
      VersionStats champion,
      VersionStats canary,
      ShadowComparison shadow) {
    List<String> findings = new ArrayList<>();
    List<String> breaches = new ArrayList<>();
    long min = policy.minRequests();
    boolean enough = true;
    if (canary.requests() < min) {
      findings.add(
          mode == RolloutMode.SHADOW
              ? "traffic: shadow scored " + canary.requests() + " of " + min + " requests needed"
              : "traffic: canary served " + canary.requests() + " of " + min + " requests needed");
      enough = false;
    }
    if (champion == null || champion.requests() < min) {
      findings.add(
          "traffic: champion served "
              + (champion == null ? 0 : champion.requests())
              + " of "
              + min
              + " requests needed");
      enough = false;
    }
    if (!enough) {
      return new Judgement(Verdict.TOO_LITTLE_TRAFFIC, findings, breaches);
    }

    double z = policy.standardErrors();
    double delta = canary.errorRate() - champion.errorRate();
    double errorNoise = z * combined(canary.errorRateStdError(), champion.errorRateStdError());
    sampled(
        findings,
        breaches,
        fmt(
            "error rate: %.2f %% vs %.2f %% (%+.2f points, max +%.2f, noise ±%.2f)",
            100 * canary.errorRate(),
            100 * champion.errorRate(),
            100 * delta,
            100 * policy.maxErrorRateDelta(),
            100 * errorNoise),
        delta > policy.maxErrorRateDelta(),
        delta > errorNoise);

    if (canary.p99LatencyMs() != null && champion.p99LatencyMs() != null) {
      double c = canary.p99LatencyMs();
      double ch = champion.p99LatencyMs();
      boolean slow = c > ch * policy.maxP99LatencyRatio() && c - ch > policy.latencySlackMs();
      check(
          findings,
          breaches,
          slow,
          fmt(
              "p99 latency: %.1f ms vs %.1f ms (x%.2f, max x%.2f beyond %.1f ms)",
              c, ch, ch > 0 ? c / ch : 1.0, policy.maxP99LatencyRatio(), policy.latencySlackMs()));
    }

    boolean labelsShort = false;
    long minLabels = policy.minLabelledRows();
    if (canary.labelled() >= minLabels && champion.labelled() >= minLabels) {
      if (canary.logLoss() != null && champion.logLoss() != null) {
        double rise = canary.logLoss() - champion.logLoss();
        Double noise = noise(z, canary.logLossStdError(), champion.logLossStdError());
        sampled(
            findings,
            breaches,
            fmt(
                "online log loss: %.4f vs %.4f (%+.4f, max +%.4f%s) on %d and %d labels",
                canary.logLoss(),
                champion.logLoss(),
                rise,
                policy.maxLogLossIncrease(),
                noise == null ? "" : fmt(", noise ±%.4f", noise),
                canary.labelled(),
                champion.labelled()),
            rise > policy.maxLogLossIncrease(),
            noise == null || rise > noise);
      }
      if (canary.auc() != null && champion.auc() != null) {
        double drop = champion.auc() - canary.auc();
        Double noise = noise(z, canary.aucStdError(), champion.aucStdError());
        sampled(
            findings,
            breaches,
            fmt(
                "online AUC: %.4f vs %.4f (%+.4f, max -%.4f%s)",
                canary.auc(),
                champion.auc(),
                -drop,
                policy.maxAucDrop(),
                noise == null ? "" : fmt(", noise ±%.4f", noise)),
            drop > policy.maxAucDrop(),
            noise == null || drop > noise);
      }
    } else {
      labelsShort = policy.requireQuality();
      findings.add(
          "online quality: not judged, "
              + canary.labelled()
              + " canary and "
              + champion.labelled()
              + " champion labels of "
              + minLabels
              + " needed"
              + (labelsShort ? " (required)" : ""));
    }

    if (mode == RolloutMode.SHADOW) {
      compare(policy, shadow == null ? ShadowComparison.empty() : shadow, findings, breaches);
    }

    Verdict verdict =
        !breaches.isEmpty()
            ? Verdict.BREACH
            : labelsShort ? Verdict.TOO_LITTLE_TRAFFIC : Verdict.PASS;
    return new Judgement(verdict, findings, breaches);
  }

  /** The shadow's own checks, over the rows both versions scored. */
  private static void compare(
      CanaryPolicy policy, ShadowComparison c, List<String> findings, List<String> breaches) {
    if (c.pairedRows() == 0 || c.agreement() == null) {
      findings.add("agreement: no row scored by both versions yet");
      return;
    }
    double agreement = c.agreement();
    Double min = policy.minAgreement();
    String line =
        fmt(
            "agreement: %.2f %% of %d rows answered alike (mean |difference| %.4f%s)",
            100 * agreement,
            c.pairedRows(),
            c.meanAbsDifference() == null ? 0.0 : c.meanAbsDifference(),
            min == null ? "" : fmt(", min %.2f %%", 100 * min));
    if (min == null) {
      findings.add(line + ": not judged (set minAgreement)");
    } else {
      double noise =
          policy.standardErrors() * (c.agreementStdError() == null ? 0.0 : c.agreementStdError());
      sampled(
          findings,
          breaches,
          line + fmt(", noise ±%.2f", 100 * noise),
          agreement < min,
          min - agreement > noise);
    }
    if (c.scorePsi() != null) {
      Double max = policy.maxScorePsi();
      String psi =
          fmt(
              "score shift: PSI %.4f of the shadow's scores against the champion's%s",
              c.scorePsi(), max == null ? "" : fmt(" (max %.4f)", max));
      if (max == null) {
        findings.add(psi + ": not judged (set maxScorePsi)");
      } else {
        check(findings, breaches, c.scorePsi() > max, psi);
      }
    }
  }

  private static void check(
      List<String> findings, List<String> breaches, boolean breached, String line) {
    String finding = line + (breached ? ": BREACH" : ": ok");
    findings.add(finding);
    if (breached) {
      breaches.add(line);
    }
  }

  /**
   * A measured difference: a breach when it is beyond its allowance and beyond the noise; beyond
   * the allowance but not the noise is reported as such and passes.
   */
  private static void sampled(
      List<String> findings,
      List<String> breaches,
      String line,
      boolean beyondAllowance,
      boolean beyondNoise) {
    if (beyondAllowance && !beyondNoise) {
      findings.add(line + ": within noise");
    } else {
      check(findings, breaches, beyondAllowance, line);
    }
  }

  /** {@code z} standard errors of a difference of two independent estimates; null if unknown. */
  private static Double noise(double z, Double a, Double b) {
    return a == null || b == null ? null : z * combined(a, b);
  }

  private static double combined(double a, double b) {
    return Math.sqrt(a * a + b * b);
  }

  private static String fmt(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }
}
