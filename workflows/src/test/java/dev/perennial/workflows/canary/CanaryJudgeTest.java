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
    return new VersionStats(version, requests, requests, errors, p99, labelled, logLoss, auc, 0.2);
  }

  private static final VersionStats CHAMPION = stats(1, 1000, 2, 20.0, 300, 0.40, 0.80);

  @Test
  void passesWhenEveryCheckHolds() {
    var j = CanaryJudge.judge(POLICY, CHAMPION, stats(2, 300, 1, 22.0, 120, 0.41, 0.79));

    assertThat(j.verdict()).isEqualTo(Verdict.PASS);
    assertThat(j.breaches()).isEmpty();
    assertThat(j.findings())
        .containsExactly(
            "error rate: 0.33 % vs 0.20 % (+0.13 points, max +1.00): ok",
            "p99 latency: 22.0 ms vs 20.0 ms (x1.10, max x1.50 beyond 5.0 ms): ok",
            "online log loss: 0.4100 vs 0.4000 (+0.0100, max +0.0500) on 120 and 300 labels: ok",
            "online AUC: 0.7900 vs 0.8000 (-0.0100, max -0.0300): ok");
  }

  @Test
  void breachesOnErrorRateLatencyLogLossAndAucEachNamed() {
    var j = CanaryJudge.judge(POLICY, CHAMPION, stats(2, 300, 9, 40.0, 120, 0.50, 0.70));

    assertThat(j.verdict()).isEqualTo(Verdict.BREACH);
    assertThat(j.breaches())
        .containsExactly(
            "error rate: 3.00 % vs 0.20 % (+2.80 points, max +1.00)",
            "p99 latency: 40.0 ms vs 20.0 ms (x2.00, max x1.50 beyond 5.0 ms)",
            "online log loss: 0.5000 vs 0.4000 (+0.1000, max +0.0500) on 120 and 300 labels",
            "online AUC: 0.7000 vs 0.8000 (-0.1000, max -0.0300)");
    assertThat(j.findings()).allMatch(f -> f.endsWith(": BREACH"));
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
    CanaryPolicy strict =
        new CanaryPolicy(
                null, null, null, null, null, null, null, null, null, true, null, null, null, null)
            .withDefaults();

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
        new CanaryPolicy(
            List.of(50, 25, 120),
            "soon",
            0,
            2.0,
            0.5,
            null,
            null,
            null,
            null,
            null,
            null,
            -1,
            true,
            "45d");

    assertThat(bad.problems("canary"))
        .containsExactly(
            "canary.steps[2]: must be a share from 1 to 100 %",
            "canary.steps: must rise step by step, e.g. [10, 25, 50, 100]",
            "canary.bakeTime: 'soon' is not a duration: write e.g. 90s, 15m, 2h, 7d or PT15M",
            "canary.minRequests: must be between 1 and 1000000000 (got 0)",
            "canary.maxErrorRateDelta: must be between 0 and 1 (got 2.0)",
            "canary.maxP99LatencyRatio: must be between 1 and 1000 (got 0.5)",
            "canary.maxExtensions: must be between 0 and 1000 (got -1)",
            "canary.approvalTimeout: must be from 1s to 30d (got '45d')");
    assertThat(CanaryPolicy.defaults().problems("canary")).isEmpty();
    assertThat(CanaryPolicy.defaults().bake()).hasMinutes(10);
  }
}
