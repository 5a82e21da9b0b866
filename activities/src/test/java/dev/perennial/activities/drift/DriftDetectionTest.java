package dev.perennial.activities.drift;

import static org.assertj.core.api.Assertions.assertThat;

import dev.perennial.core.model.ReferenceProfile;
import dev.perennial.workflows.drift.DriftJudge;
import dev.perennial.workflows.drift.DriftPolicy;
import dev.perennial.workflows.drift.DriftVerdict;
import dev.perennial.workflows.drift.FeatureDrift;
import dev.perennial.workflows.drift.QualityDrift;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * How the default policy behaves on served traffic with known drift, over many seeded windows: the
 * statistics, their mapping and the judge together, exactly as the analyzer runs them (only the log
 * parsing is left out; {@link DriftAnalyzerTest} covers that).
 */
class DriftDetectionTest {
  private static final int TRIALS = 200;
  private static final int WINDOW_ROWS = 1_000;
  private static final QualityDrift NO_LABELS =
      new QualityDrift(0, null, null, null, null, null, false, "");

  private static ReferenceProfile reference;

  @BeforeAll
  static void train() {
    // What a champion trained on 16k clean rows would have stored.
    reference = SyntheticTraffic.day(1, 16_000, 0, 0).profile();
  }

  private static DriftVerdict verdict(SyntheticTraffic window, DriftPolicy policy) {
    List<FeatureDrift> measured = window.measureAgainst(reference);
    return DriftJudge.judge(policy, 1, window.rows, measured, NO_LABELS).decision().verdict();
  }

  /** How many of {@link #TRIALS} windows breach, and how many features drifted in all. */
  private static int[] breaches(double covariate, DriftPolicy policy) {
    int breaches = 0;
    int driftedFeatures = 0;
    for (int trial = 0; trial < TRIALS; trial++) {
      SyntheticTraffic window = SyntheticTraffic.day(1_000 + trial, WINDOW_ROWS, covariate, 0);
      List<FeatureDrift> measured = window.measureAgainst(reference);
      var judged = DriftJudge.judge(policy, 1, window.rows, measured, NO_LABELS);
      if (judged.decision().verdict() == DriftVerdict.DRIFT) {
        breaches++;
      }
      driftedFeatures += judged.decision().driftedFeatures();
    }
    return new int[] {breaches, driftedFeatures};
  }

  @Test
  void undriftedWindowsRarelyBreachAtTheDefaultThresholds() {
    int[] result = breaches(0, DriftPolicy.defaults());
    // Goal: at most 5 % false alarms. The default asks for PSI ≥ 0.2 and p < 0.01 on 30 % of the
    // features, so an undrifted window of a thousand rows should essentially never breach.
    assertThat(result[0])
        .as("false alarms in %d undrifted windows", TRIALS)
        .isLessThanOrEqualTo(TRIALS / 20);
    // And features are rarely flagged one by one either: under 1 % of the 4,000 judged.
    assertThat(result[1]).as("features flagged").isLessThan(TRIALS * 20 / 100);
  }

  @Test
  void undriftedWindowsRarelyBreachEvenWithAHairTrigger() {
    // Any one drifted feature breaches: the per-feature rule alone must hold the false-alarm rate.
    DriftPolicy anyFeature =
        new DriftPolicy(null, null, null, null, null, null, 0.0, null, null, null, null, null, null)
            .withDefaults();
    assertThat(breaches(0, anyFeature)[0]).isLessThanOrEqualTo(TRIALS / 20);
  }

  @Test
  void injectedCovariateDriftIsDetectedInEveryWindow() {
    // At full and three-quarter strength 7 and 6 of the 20 features shift beyond PSI 0.2: over
    // the default share of 30 %.
    assertThat(breaches(1.0, DriftPolicy.defaults())[0]).isEqualTo(TRIALS);
    assertThat(breaches(0.75, DriftPolicy.defaults())[0]).isEqualTo(TRIALS);
  }

  @Test
  void halfStrengthDriftIsFlaggedPerFeatureAndBreachesThroughACriticalFeature() {
    // At half strength three features (inquiries, utilization, interest rate) shift beyond the
    // thresholds: 15 % of the features, under the default share, so no breach...
    int[] byShare = breaches(0.5, DriftPolicy.defaults());
    assertThat(byShare[0]).isZero();
    assertThat(byShare[1]).as("features flagged").isGreaterThanOrEqualTo(TRIALS * 2);
    // ...unless the policy names one of them critical, as a team would for the model's strongest
    // input.
    DriftPolicy critical =
        new DriftPolicy(
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                List.of("utilization"),
                null,
                null,
                null,
                null,
                null)
            .withDefaults();
    assertThat(breaches(0.5, critical)[0]).isGreaterThanOrEqualTo(TRIALS * 95 / 100);
  }

  @Test
  void theShiftedFeaturesAreTheOnesFlagged() {
    SyntheticTraffic window = SyntheticTraffic.day(77, 2_000, 1.0, 0);
    var judged =
        DriftJudge.judge(
            DriftPolicy.defaults(), 1, window.rows, window.measureAgainst(reference), NO_LABELS);
    List<String> drifted =
        judged.features().stream()
            .filter(FeatureDrift::drifted)
            .map(FeatureDrift::feature)
            .toList();
    // The generator shifts income, utilization, inquiries and the region mix under covariate
    // drift; credit limit, debt-to-income, interest rate and savings follow from them.
    assertThat(drifted).contains("income", "utilization", "inquiries_6m", "region");
    // Age and the loan term do not depend on anything that drifts.
    assertThat(drifted).doesNotContain("age", "loan_term_months");
  }
}
