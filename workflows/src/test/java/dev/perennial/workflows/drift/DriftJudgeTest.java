package dev.perennial.workflows.drift;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The drift rules, pinned without I/O: what counts as drifted, and when a window breaches. */
class DriftJudgeTest {
  private static final DriftPolicy POLICY = DriftPolicy.defaults();
  private static final int CHAMPION = 3;

  /** A numeric feature with {@code psi} and KS p-value {@code p}, values in every row. */
  static FeatureDrift numeric(String name, Double psi, Double p) {
    return new FeatureDrift(
        name, "NUMERIC", 1000, 0.0, 0.0, psi, 0.1, p, null, null, 0.1, 1.5, null, false, false,
        null, List.of(), List.of(), List.of());
  }

  static FeatureDrift categorical(String name, double psi, double p) {
    return new FeatureDrift(
        name,
        "CATEGORICAL",
        1000,
        0.0,
        0.0,
        psi,
        null,
        null,
        12.0,
        p,
        0.1,
        null,
        null,
        false,
        false,
        null,
        List.of(),
        List.of(),
        List.of());
  }

  /** A feature no served row has; {@code referenceMissingRate} of training rows lacked it too. */
  static FeatureDrift absent(String name, double referenceMissingRate) {
    return new FeatureDrift(
        name,
        "NUMERIC",
        0,
        1.0,
        referenceMissingRate,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        false,
        false,
        null,
        List.of(),
        List.of(),
        List.of());
  }

  static QualityDrift quality(long labels, double logLoss, double stdError, double champion) {
    return new QualityDrift(labels, logLoss, stdError, 0.78, champion, 0.80, false, null);
  }

  private static final QualityDrift NO_LABELS =
      new QualityDrift(0, null, null, null, 0.40, 0.80, false, null);

  /** {@code drifted} features that drifted clearly, then steady ones up to {@code total}. */
  static List<FeatureDrift> features(int drifted, int total) {
    List<FeatureDrift> fs = new ArrayList<>();
    for (int i = 0; i < total; i++) {
      fs.add(i < drifted ? numeric("f" + i, 0.30, 1e-6) : numeric("f" + i, 0.02, 0.40));
    }
    return fs;
  }

  private static DriftPolicy policy(
      Map<String, DriftPolicy.FeatureThreshold> features, List<String> critical) {
    return DriftPolicy.builder().features(features).critical(critical).build().withDefaults();
  }

  @Test
  void aShareOfDriftedFeaturesAtTheThresholdBreaches() {
    var j = DriftJudge.judge(POLICY, CHAMPION, 5000, features(3, 10), NO_LABELS);

    assertThat(j.decision().verdict()).isEqualTo(DriftVerdict.DRIFT);
    assertThat(j.decision().reasons()).containsExactly("3 of 10 features drifted (30% ≥ 30%)");
    assertThat(j.decision().driftedFeatures()).isEqualTo(3);
    assertThat(j.decision().judgedFeatures()).isEqualTo(10);
    assertThat(j.features().get(0).finding()).isEqualTo("PSI 0.300 ≥ 0.200, KS p 1.0e-06 < 0.010");
  }

  @Test
  void aSmallerShareDoesNotAndSaysWhy() {
    var j = DriftJudge.judge(POLICY, CHAMPION, 5000, features(2, 10), NO_LABELS);

    assertThat(j.decision().verdict()).isEqualTo(DriftVerdict.NO_DRIFT);
    assertThat(j.decision().reasons())
        .containsExactly(
            "2 of 10 features drifted (below 30%), no critical feature drifted; 0 feedback labels,"
                + " quality needs 200");
    assertThat(j.decision().driftedFeatures()).isEqualTo(2);
    assertThat(j.features()).filteredOn(FeatureDrift::drifted).hasSize(2);
  }

  @Test
  void aCriticalFeatureAloneBreaches() {
    var j =
        DriftJudge.judge(policy(null, List.of("f0")), CHAMPION, 5000, features(1, 10), NO_LABELS);

    assertThat(j.decision().verdict()).isEqualTo(DriftVerdict.DRIFT);
    assertThat(j.decision().reasons())
        .containsExactly("critical feature f0 drifted: PSI 0.300 ≥ 0.200, KS p 1.0e-06 < 0.010");
    assertThat(j.features().get(0).critical()).isTrue();
    assertThat(j.features().get(1).critical()).isFalse();
  }

  @Test
  void policyNamesTheModelDoesNotHaveAreSaidWithoutChangingTheVerdict() {
    var j =
        DriftJudge.judge(
            policy(Map.of("agee", new DriftPolicy.FeatureThreshold(0.1, null)), List.of("incom")),
            CHAMPION,
            5000,
            features(1, 10),
            NO_LABELS);

    assertThat(j.decision().verdict()).isEqualTo(DriftVerdict.NO_DRIFT);
    assertThat(j.decision().reasons())
        .endsWith(
            "policy names critical feature 'incom', which this model does not have",
            "policy sets thresholds for 'agee', which this model does not have");
    var few =
        DriftJudge.judge(policy(null, List.of("incom")), CHAMPION, 10, features(1, 10), NO_LABELS);
    assertThat(few.decision().reasons())
        .containsExactly(
            "10 rows served, the policy needs 500",
            "policy names critical feature 'incom', which this model does not have");
  }

  @Test
  void aCriticalFeatureThatHoldsStillLeavesTheShareRuleInCharge() {
    var j =
        DriftJudge.judge(policy(null, List.of("f9")), CHAMPION, 5000, features(1, 10), NO_LABELS);

    assertThat(j.decision().verdict()).isEqualTo(DriftVerdict.NO_DRIFT);
    assertThat(j.features())
        .filteredOn(FeatureDrift::critical)
        .singleElement()
        .satisfies(f -> assertThat(f.drifted()).isFalse());
  }

  @Test
  void aFeatureDriftsOnlyWhenTheShiftIsBothLargeAndReal() {
    var j =
        DriftJudge.judge(
            POLICY,
            CHAMPION,
            5000,
            List.of(
                numeric("large-not-real", 0.35, 0.20),
                numeric("real-not-large", 0.05, 1e-9),
                categorical("both", 0.25, 0.0005)),
            NO_LABELS);

    assertThat(j.features())
        .extracting(FeatureDrift::feature, FeatureDrift::drifted, FeatureDrift::finding)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "both", true, "PSI 0.250 ≥ 0.200, chi-square p 5.0e-04 < 0.010"),
            org.assertj.core.groups.Tuple.tuple(
                "large-not-real",
                false,
                "PSI 0.350 ≥ 0.200, KS p 0.200 ≥ 0.010 (shift not significant on this many rows)"),
            org.assertj.core.groups.Tuple.tuple(
                "real-not-large",
                false,
                "PSI 0.050 < 0.200, KS p 1.0e-09 < 0.010 (significant but small)"));
    // One of three is 33 %: the share rule holds.
    assertThat(j.decision().verdict()).isEqualTo(DriftVerdict.DRIFT);
    assertThat(j.decision().reasons()).containsExactly("1 of 3 features drifted (33% ≥ 30%)");
  }

  @Test
  void onlineQualityBreachesBeyondBothTheAllowanceAndTheNoise() {
    var j =
        DriftJudge.judge(POLICY, CHAMPION, 5000, features(0, 10), quality(300, 0.55, 0.02, 0.40));

    assertThat(j.quality().degraded()).isTrue();
    assertThat(j.decision().verdict()).isEqualTo(DriftVerdict.DRIFT);
    assertThat(j.decision().reasons())
        .containsExactly(
            "online quality dropped: online log loss 0.550 vs 0.400 at evaluation (+0.150, allowed"
                + " +0.100, noise ±0.040, 300 labels)");
    assertThat(j.decision().driftedFeatures()).isZero();
  }

  @Test
  void aRiseWithinItsNoiseIsNoBreach() {
    var j =
        DriftJudge.judge(POLICY, CHAMPION, 5000, features(0, 10), quality(300, 0.55, 0.10, 0.40));

    assertThat(j.quality().degraded()).isFalse();
    assertThat(j.quality().finding())
        .isEqualTo(
            "online log loss 0.550 vs 0.400 at evaluation (+0.150, allowed +0.100, noise ±0.200,"
                + " 300 labels), within noise");
    assertThat(j.decision().verdict()).isEqualTo(DriftVerdict.NO_DRIFT);
  }

  @Test
  void qualityIsNotJudgedOnTooFewLabelsOrWithoutAnEvaluation() {
    var few =
        DriftJudge.judge(POLICY, CHAMPION, 5000, features(0, 4), quality(199, 0.90, 0.0, 0.40));
    assertThat(few.quality().degraded()).isFalse();
    assertThat(few.quality().finding()).isEqualTo("199 feedback labels, quality needs 200");

    var noEvaluation =
        DriftJudge.judge(
            POLICY,
            CHAMPION,
            5000,
            features(0, 4),
            new QualityDrift(300, 0.90, 0.01, 0.7, null, null, false, null));
    assertThat(noEvaluation.quality().degraded()).isFalse();
    assertThat(noEvaluation.quality().finding())
        .isEqualTo("no evaluation log loss to compare with");
    assertThat(noEvaluation.decision().verdict()).isEqualTo(DriftVerdict.NO_DRIFT);
  }

  @Test
  void tooFewRowsJudgesNothing() {
    var j =
        DriftJudge.judge(
            policy(null, List.of("f0")),
            CHAMPION,
            499,
            features(5, 5),
            quality(300, 0.90, 0.01, 0.40));

    assertThat(j.decision().verdict()).isEqualTo(DriftVerdict.TOO_FEW_ROWS);
    assertThat(j.decision().reasons()).containsExactly("499 rows served, the policy needs 500");
    assertThat(j.decision().driftedFeatures()).isZero();
    assertThat(j.features())
        .allSatisfy(
            f -> {
              assertThat(f.drifted()).isFalse();
              assertThat(f.finding()).isEqualTo("too few rows to judge");
            });
    assertThat(j.features().get(0).critical()).isTrue();
    assertThat(j.quality().degraded()).isFalse();
    assertThat(j.quality().finding()).isEqualTo("too few rows to judge");
  }

  @Test
  void withoutAChampionThereIsNothingToCompare() {
    var j = DriftJudge.judge(POLICY, null, 5000, features(5, 5), NO_LABELS);

    assertThat(j.decision())
        .isEqualTo(
            new DriftDecision(
                DriftVerdict.NO_CHAMPION,
                List.of("no champion yet: nothing to compare served traffic with"),
                0,
                0));
  }

  @Test
  void aFeatureThatVanishedFromServingHasDrifted() {
    var j =
        DriftJudge.judge(
            policy(null, List.of("income")),
            CHAMPION,
            5000,
            List.of(absent("income", 0.05), absent("notes", 1.0), numeric("age", 0.01, 0.5)),
            NO_LABELS);

    assertThat(j.features().get(0).feature()).isEqualTo("income");
    assertThat(j.features().get(0).drifted()).isTrue();
    assertThat(j.features().get(0).finding())
        .isEqualTo("no values served (training had 95% present)");
    FeatureDrift notes =
        j.features().stream().filter(f -> f.feature().equals("notes")).findFirst().orElseThrow();
    assertThat(notes.drifted()).isFalse();
    assertThat(notes.finding()).isEqualTo("no values, in training either");
    // "notes" was never present: it is not judged, so 1 of 2 features drifted, not 1 of 3.
    assertThat(j.decision().judgedFeatures()).isEqualTo(2);
    assertThat(j.decision().reasons())
        .containsExactly(
            "1 of 2 features drifted (50% ≥ 30%)",
            "critical feature income drifted: no values served (training had 95% present)");
  }

  @Test
  void perFeatureOverridesReplaceThePolicysThresholds() {
    var overrides =
        Map.of(
            "tolerant", new DriftPolicy.FeatureThreshold(0.5, null),
            "strict", new DriftPolicy.FeatureThreshold(0.05, 0.5));
    var j =
        DriftJudge.judge(
            policy(overrides, null),
            CHAMPION,
            5000,
            List.of(
                numeric("tolerant", 0.30, 1e-6),
                numeric("strict", 0.06, 0.2),
                numeric("plain", 0.06, 0.2)),
            NO_LABELS);

    assertThat(j.features())
        .extracting(FeatureDrift::feature, FeatureDrift::drifted, FeatureDrift::finding)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "strict", true, "PSI 0.060 ≥ 0.050, KS p 0.200 < 0.500"),
            org.assertj.core.groups.Tuple.tuple(
                "tolerant",
                false,
                "PSI 0.300 < 0.500, KS p 1.0e-06 < 0.010 (significant but small)"),
            org.assertj.core.groups.Tuple.tuple(
                "plain", false, "PSI 0.060 < 0.200, KS p 0.200 ≥ 0.010"));
  }

  @Test
  void featuresAreOrderedDriftedFirstThenByPsiWithUnmeasuredLast() {
    var j =
        DriftJudge.judge(
            POLICY,
            CHAMPION,
            5000,
            List.of(
                numeric("unmeasured", null, null),
                numeric("low", 0.01, 0.9),
                numeric("drifted-less", 0.25, 1e-4),
                numeric("high-not-real", 0.9, 0.5),
                numeric("drifted-more", 0.6, 1e-8)),
            NO_LABELS);

    assertThat(j.features())
        .extracting(FeatureDrift::feature)
        .containsExactly("drifted-more", "drifted-less", "high-not-real", "low", "unmeasured");
    assertThat(j.features().get(4).finding()).isEqualTo("not enough values for the statistics");
    // A feature with values but too few for the statistics still counts as judged.
    assertThat(j.decision().judgedFeatures()).isEqualTo(5);
    assertThat(j.decision().reasons()).containsExactly("2 of 5 features drifted (40% ≥ 30%)");
  }
}
