package dev.perennial.workflows.canary;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CanaryJudgeTest {
  private static final CanaryPolicy POLICY = CanaryPolicy.defaults();

  static VersionStats stats(
      int version,
      long requests,
      long errors,
      double p99,
      long labelled,
      double logLoss,
      double auc) {
    return stats(version, requests, errors, p99, labelled, logLoss, auc, 0.01);
  }

  /** With {@code stdError} as the standard error of both log loss and AUC. */
  static VersionStats stats(
      int version,
      long requests,
      long errors,
      double p99,
      long labelled,
      double logLoss,
      double auc,
      double stdError) {
    return new VersionStats(
        version, requests, requests, errors, p99, labelled, logLoss, auc, 0.2, stdError, stdError);
  }

  private static final VersionStats CHAMPION = stats(1, 1000, 2, 20.0, 300, 0.40, 0.80);

  @Test
  void passesWhenEveryCheckHolds() {
    var j = CanaryJudge.judge(POLICY, CHAMPION, stats(2, 300, 1, 22.0, 120, 0.41, 0.79));

    assertThat(j.verdict()).isEqualTo(Verdict.PASS);
    assertThat(j.breaches()).isEmpty();
    assertThat(j.findings())
        .containsExactly(
            "error rate: 0.33 % vs 0.20 % (+0.13 points, max +1.00, noise ±0.72): ok",
            "p99 latency: 22.0 ms vs 20.0 ms (x1.10, max x1.50 beyond 5.0 ms): ok",
            "online log loss: 0.4100 vs 0.4000 (+0.0100, max +0.0500, noise ±0.0283) on 120 and"
                + " 300 labels: ok",
            "online AUC: 0.7900 vs 0.8000 (-0.0100, max -0.0300, noise ±0.0283): ok");
  }

  @Test
  void breachesOnErrorRateLatencyLogLossAndAucEachNamed() {
    var j = CanaryJudge.judge(POLICY, CHAMPION, stats(2, 300, 9, 40.0, 120, 0.50, 0.70));

    assertThat(j.verdict()).isEqualTo(Verdict.BREACH);
    assertThat(j.breaches())
        .containsExactly(
            "error rate: 3.00 % vs 0.20 % (+2.80 points, max +1.00, noise ±1.99)",
            "p99 latency: 40.0 ms vs 20.0 ms (x2.00, max x1.50 beyond 5.0 ms)",
            "online log loss: 0.5000 vs 0.4000 (+0.1000, max +0.0500, noise ±0.0283) on 120 and"
                + " 300 labels",
            "online AUC: 0.7000 vs 0.8000 (-0.1000, max -0.0300, noise ±0.0283)");
    assertThat(j.findings()).allMatch(f -> f.endsWith(": BREACH"));
  }

  @Test
  void aDifferenceBeyondItsAllowanceButWithinTheNoiseIsNoBreach() {
    // Few labels: standard errors of 0.03 on each side make 2 standard errors of the difference
    // 0.0849, more than the measured +0.06 log loss and -0.05 AUC.
    VersionStats noisy = stats(2, 300, 1, 21.0, 120, 0.46, 0.75, 0.03);
    VersionStats champion = stats(1, 1000, 2, 20.0, 300, 0.40, 0.80, 0.03);
    // 4 errors in 300 against 2 in 1000: +1.13 points, beyond 1.00 but within ±1.35 of noise.
    VersionStats fewErrors = stats(2, 300, 4, 21.0, 120, 0.40, 0.80, 0.03);

    var judged = CanaryJudge.judge(POLICY, champion, noisy);
    var errors = CanaryJudge.judge(POLICY, champion, fewErrors);

    assertThat(judged.verdict()).isEqualTo(Verdict.PASS);
    assertThat(judged.findings())
        .contains(
            "online log loss: 0.4600 vs 0.4000 (+0.0600, max +0.0500, noise ±0.0849) on 120 and"
                + " 300 labels: within noise",
            "online AUC: 0.7500 vs 0.8000 (-0.0500, max -0.0300, noise ±0.0849): within noise");
    assertThat(errors.verdict()).isEqualTo(Verdict.PASS);
    assertThat(errors.findings().get(0))
        .isEqualTo(
            "error rate: 1.33 % vs 0.20 % (+1.13 points, max +1.00, noise ±1.35): within noise");

    // With standardErrors 0 the measured figures decide alone: the same canary breaches.
    CanaryPolicy pointwise = CanaryPolicy.builder().standardErrors(0.0).build().withDefaults();
    var strict = CanaryJudge.judge(pointwise, champion, noisy);
    assertThat(strict.verdict()).isEqualTo(Verdict.BREACH);
    assertThat(strict.breaches()).hasSize(2);
    assertThat(CanaryJudge.judge(pointwise, champion, fewErrors).verdict())
        .isEqualTo(Verdict.BREACH);
  }

  @Test
  void withoutStandardErrorsQualityIsComparedAsMeasured() {
    // Older analyses (recorded before standard errors existed) carry none.
    VersionStats old = new VersionStats(2, 300, 300, 0, 20.0, 120, 0.46, 0.80, 0.2, null, null);
    var j = CanaryJudge.judge(POLICY, stats(1, 1000, 0, 20.0, 300, 0.40, 0.80), old);

    assertThat(j.verdict()).isEqualTo(Verdict.BREACH);
    assertThat(j.breaches())
        .containsExactly(
            "online log loss: 0.4600 vs 0.4000 (+0.0600, max +0.0500) on 120 and 300 labels");
  }

  @Test
  void aLatencyRatioWithinTheSlackIsNoBreach() {
    VersionStats fastChampion = stats(1, 1000, 0, 0.4, 0, 0, 0);
    var j = CanaryJudge.judge(POLICY, fastChampion, stats(2, 300, 0, 1.2, 0, 0, 0));

    assertThat(j.verdict()).isEqualTo(Verdict.PASS);
    assertThat(j.findings().get(1))
        .startsWith("p99 latency: 1.2 ms vs 0.4 ms (x3.00")
        .endsWith("ok");
  }

  @Test
  void tooFewRequestsOnEitherSideIsNotJudged() {
    var canaryShort = CanaryJudge.judge(POLICY, CHAMPION, stats(2, 150, 150, 99, 0, 0, 0));
    var championShort = CanaryJudge.judge(POLICY, null, stats(2, 300, 0, 20, 0, 0, 0));

    assertThat(canaryShort.verdict()).isEqualTo(Verdict.TOO_LITTLE_TRAFFIC);
    assertThat(canaryShort.findings())
        .containsExactly("traffic: canary served 150 of 200 requests needed");
    assertThat(championShort.verdict()).isEqualTo(Verdict.TOO_LITTLE_TRAFFIC);
    assertThat(championShort.findings())
        .containsExactly("traffic: champion served 0 of 200 requests needed");
  }

  @Test
  void missingLabelsSkipQualityUnlessThePolicyRequiresIt() {
    VersionStats fewLabels = stats(2, 300, 0, 20, 40, 0.9, 0.5);
    CanaryPolicy strict = CanaryPolicy.builder().requireQuality(true).build().withDefaults();

    var lenient = CanaryJudge.judge(POLICY, CHAMPION, fewLabels);
    var required = CanaryJudge.judge(strict, CHAMPION, fewLabels);

    assertThat(lenient.verdict()).isEqualTo(Verdict.PASS);
    assertThat(lenient.findings())
        .contains("online quality: not judged, 40 canary and 300 champion labels of 100 needed");
    assertThat(required.verdict()).isEqualTo(Verdict.TOO_LITTLE_TRAFFIC);
    assertThat(required.findings()).last().asString().endsWith("(required)");
  }

  @Test
  void policyProblemsNameEachField() {
    CanaryPolicy bad =
        CanaryPolicy.builder()
            .steps(List.of(50, 25, 120))
            .bakeTime("soon")
            .minRequests(0)
            .maxErrorRateDelta(2.0)
            .maxP99LatencyRatio(0.5)
            .maxExtensions(-1)
            .requireApproval(true)
            .approvalTimeout("45d")
            .standardErrors(11.0)
            .build();

    assertThat(bad.problems("canary"))
        .containsExactly(
            "canary.steps[2]: must be a share from 1 to 100 %",
            "canary.steps: must rise step by step, e.g. [10, 25, 50, 100]",
            "canary.bakeTime: 'soon' is not a duration: write e.g. 90s, 15m, 2h, 7d or PT15M",
            "canary.minRequests: must be between 1 and 1000000000 (got 0)",
            "canary.maxErrorRateDelta: must be between 0 and 1 (got 2.0)",
            "canary.maxP99LatencyRatio: must be between 1 and 1000 (got 0.5)",
            "canary.maxExtensions: must be between 0 and 1000 (got -1)",
            "canary.approvalTimeout: must be from 1s to 30d (got '45d')",
            "canary.standardErrors: must be between 0 and 10 (got 11.0)");
    assertThat(CanaryPolicy.defaults().problems("canary")).isEmpty();
    assertThat(CanaryPolicy.defaults().bake()).hasMinutes(10);
  }
}
