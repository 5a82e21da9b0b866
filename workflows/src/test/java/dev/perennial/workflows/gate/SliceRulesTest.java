package dev.perennial.workflows.gate;

import static dev.perennial.workflows.gate.GateRule.atLeast;
import static dev.perennial.workflows.gate.GateRule.fairness;
import static dev.perennial.workflows.gate.GateRule.noSliceLosesAuc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.perennial.workflows.training.Evaluation;
import dev.perennial.workflows.training.ModelMetrics;
import dev.perennial.workflows.training.SliceMetrics;
import dev.perennial.workflows.training.SliceResults;
import dev.perennial.workflows.training.Slicing;
import java.util.List;
import org.junit.jupiter.api.Test;

class SliceRulesTest {
  private static final Slicing REGION = Slicing.byValue("region");

  private static ModelMetrics m(double auc, double recall, long rows) {
    return new ModelMetrics(auc, 0.4, 0.8, 0.5, recall, 0.5, rows);
  }

  /** A slice whose candidate and champion have these AUCs; 40 % predicted positive. */
  private static SliceMetrics slice(String value, long rows, double candidate, double champion) {
    return new SliceMetrics(
        "region",
        value,
        rows,
        rows / 4,
        m(candidate, 0.5, rows),
        rows * 2 / 5,
        Double.isNaN(champion) ? null : m(champion, 0.5, rows));
  }

  private static Evaluation evaluation(boolean champion, SliceMetrics... slices) {
    return new Evaluation(
        m(0.80, 0.5, 2000),
        champion ? m(0.80, 0.5, 2000) : null,
        null,
        null,
        List.of(new SliceResults(REGION, List.of(slices))));
  }

  private static final SliceMetrics NORTH = slice("north", 500, 0.80, 0.81);
  private static final SliceMetrics SOUTH = slice("south", 400, 0.70, 0.76);
  private static final SliceMetrics TINY = slice("east", 50, 0.50, 0.90);

  @Test
  void aSliceThatLosesMoreThanAllowedFailsTheGateNamingIt() {
    ValidationGate gate =
        ValidationGate.of(atLeast("auc", 0.7), noSliceLosesAuc(REGION, 100, 0.03));
    GateDecision d = gate.decide(evaluation(true, NORTH, SOUTH, TINY), 3);

    assertThat(d.passed()).isFalse();
    GateCheck check = d.checks().get(1);
    assertThat(check.rule())
        .isEqualTo(
            "auc of slice region=south (400 rows; 1 failing of 2 region slices with >= 100 rows)"
                + " >= champion 0.7600 - 0.0300 vs champion v3");
    assertThat(check.actual()).isEqualTo(0.70);
    assertThat(check.limit()).isCloseTo(0.73, within(1e-12));
    assertThat(d.reasons()).singleElement().asString().endsWith("candidate has 0.7000");
  }

  @Test
  void slicesWithinTheLossPassAndTheCheckNamesTheClosestOne() {
    GateDecision d =
        ValidationGate.of(noSliceLosesAuc(REGION, 100, 0.07))
            .decide(evaluation(true, NORTH, SOUTH, TINY), 3);

    assertThat(d.passed()).isTrue();
    assertThat(d.checks().get(0).rule()).startsWith("auc of slice region=south (400 rows; worst");
  }

  @Test
  void smallSlicesAndSlicesOfOneClassAreNotJudged() {
    SliceMetrics oneClass = slice("west", 900, Double.NaN, 0.9);
    GateDecision d =
        ValidationGate.of(noSliceLosesAuc(REGION, 100, 0.03))
            .decide(evaluation(true, NORTH, TINY, oneClass), 3);

    // east lost 0.40 but has 50 rows; west has no AUC: only north is judged, and holds.
    assertThat(d.passed()).isTrue();
    assertThat(d.checks().get(0).rule()).contains("region=north").contains("worst of 1");
  }

  @Test
  void theSliceAucRuleDoesNotApplyWithoutAChampionOrWithoutALargeEnoughSlice() {
    ValidationGate gate = ValidationGate.of(noSliceLosesAuc(REGION, 100, 0.03));
    assertThat(gate.decide(evaluation(false, slice("north", 500, 0.6, Double.NaN)), null).checks())
        .isEmpty();
    assertThat(gate.decide(evaluation(true, TINY), 3).checks()).isEmpty();
  }

  /** Groups whose candidate predicts {@code positive} of {@code rows} positive. */
  private static SliceMetrics group(String value, long rows, long positive, double recall) {
    return new SliceMetrics(
        "region", value, rows, rows / 2, m(0.8, recall, rows), positive, m(0.8, recall, rows));
  }

  @Test
  void aPositiveRateGapBeyondTheBoundAndItsNoiseFailsNamingBothGroups() {
    // 0.40 vs 0.25 over 1000 rows each: difference 0.15, SE sqrt(.4*.6/1000 + .25*.75/1000).
    Evaluation e =
        evaluation(
            false,
            group("north", 1000, 400, 0.5),
            group("south", 1000, 250, 0.5),
            group("east", 50, 0, 0.5));
    double se = Math.sqrt(0.4 * 0.6 / 1000 + 0.25 * 0.75 / 1000);

    GateDecision twoSe =
        ValidationGate.of(fairness(REGION, FairnessMetric.POSITIVE_RATE, 0.10, 2, 100))
            .decide(e, null);
    assertThat(twoSe.passed()).isFalse();
    GateCheck check = twoSe.checks().get(0);
    assertThat(check.rule())
        .isEqualTo(
            "positive rate difference between region groups <= 0.1000 + 2 SE (0.0207): region=north"
                + " 0.4000 (1000 rows) vs region=south 0.2500 (1000 rows)");
    assertThat(check.actual()).isCloseTo(0.15, within(1e-12));
    assertThat(check.limit()).isCloseTo(0.10 + 2 * se, within(1e-12));

    // Three standard errors of slack (0.162) cover the same gap; so does a bound of 0.16.
    assertThat(
            ValidationGate.of(fairness(REGION, FairnessMetric.POSITIVE_RATE, 0.10, 3, 100))
                .decide(e, null)
                .passed())
        .isTrue();
    assertThat(
            ValidationGate.of(fairness(REGION, FairnessMetric.POSITIVE_RATE, 0.16, 0, 100))
                .decide(e, null)
                .passed())
        .isTrue();
  }

  @Test
  void recallIsASharePositivesAndSmallGroupsAreLeftOut() {
    // Recall over each group's positives (rows / 2): east has 40 positives, under minRows 100.
    Evaluation e =
        evaluation(
            true,
            group("north", 1000, 400, 0.70),
            group("south", 1000, 400, 0.66),
            group("east", 80, 10, 0.10));
    GateDecision d =
        ValidationGate.of(fairness(REGION, FairnessMetric.RECALL, 0.05, 0, 100)).decide(e, 1);

    assertThat(d.passed()).isTrue();
    assertThat(d.checks().get(0).rule())
        .contains("recall difference")
        .contains("region=north 0.7000 (500 positives) vs region=south 0.6600 (500 positives)");
    assertThat(
            ValidationGate.of(fairness(REGION, FairnessMetric.RECALL, 0.05, 0, 40))
                .decide(e, 1)
                .reasons())
        .singleElement()
        .asString()
        .contains("region=east 0.1000 (40 positives)");
  }

  @Test
  void fairnessDoesNotApplyWithFewerThanTwoLargeGroups() {
    Evaluation e = evaluation(false, group("north", 1000, 400, 0.5), group("east", 50, 0, 0.5));
    assertThat(
            ValidationGate.of(fairness(REGION, FairnessMetric.POSITIVE_RATE, 0.1))
                .decide(e, null)
                .checks())
        .isEmpty();
  }

  @Test
  void aGateNamesTheSlicingsItsRulesNeedOnce() {
    Slicing age = Slicing.byBuckets("age", 30, 45);
    ValidationGate gate =
        ValidationGate.of(
            atLeast("auc", 0.7),
            noSliceLosesAuc(REGION, 100, 0.03),
            fairness(REGION, FairnessMetric.RECALL, 0.1),
            fairness(age, FairnessMetric.POSITIVE_RATE, 0.1));
    assertThat(gate.slicings()).containsExactly(REGION, age);
    assertThat(ValidationGate.of(atLeast("auc", 0.7)).slicings()).isEmpty();
  }

  @Test
  void aRuleOverSlicesOnAnEvaluationWithoutThemSaysWhatToDo() {
    ValidationGate gate = ValidationGate.of(noSliceLosesAuc(REGION, 100, 0.03));
    assertThatThrownBy(() -> gate.decide(new Evaluation(m(0.8, 0.5, 10), null, null, null), null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no slices of region")
        .hasMessageContaining("PipelineRun.evaluate(candidate, gate)");
    assertThatThrownBy(() -> gate.decide(m(0.8, 0.5, 10), null, null))
        .hasMessageContaining("no slices of region");
  }

  @Test
  void badRuleArgumentsAreRefusedNamingThem() {
    assertThatThrownBy(() -> noSliceLosesAuc(REGION, 0, 0.03)).hasMessageContaining("minRows");
    assertThatThrownBy(() -> noSliceLosesAuc(REGION, 10, -0.1)).hasMessageContaining("maxLoss");
    assertThatThrownBy(() -> noSliceLosesAuc(null, 10, 0.1)).hasMessageContaining("slicing");
    assertThatThrownBy(() -> fairness(REGION, null, 0.1)).hasMessageContaining("POSITIVE_RATE");
    assertThatThrownBy(() -> fairness(REGION, FairnessMetric.RECALL, 1.5))
        .hasMessageContaining("maxDifference");
    assertThatThrownBy(() -> fairness(REGION, FairnessMetric.RECALL, 0.1, -1, 10))
        .hasMessageContaining("standardErrors");
    assertThatThrownBy(() -> Slicing.byBuckets("age")).hasMessageContaining("slicing.edges: empty");
    assertThatThrownBy(() -> Slicing.byBuckets("age", 45, 30))
        .hasMessageContaining("strictly increasing (45 then 30)");
    assertThatThrownBy(() -> Slicing.byValue(" ")).hasMessageContaining("slicing.feature");
  }

  @Test
  void bucketsAreClosedBelowAndMissingValuesHaveTheirOwnSlice() {
    Slicing age = Slicing.byBuckets("age", 30, 45.5);
    assertThat(age.bucketOf(29.9)).isEqualTo("<30");
    assertThat(age.bucketOf(30)).isEqualTo("[30, 45.5)");
    assertThat(age.bucketOf(45.5)).isEqualTo(">=45.5");
    assertThat(age.bucketOf(Double.NaN)).isEqualTo(Slicing.MISSING);
    assertThat(age).hasToString("age by [30, 45.5]");
  }
}
