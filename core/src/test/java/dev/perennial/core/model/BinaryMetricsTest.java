package dev.perennial.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.perennial.workflows.training.ModelMetrics;
import org.junit.jupiter.api.Test;

/** Metrics on six rows, each expected value worked out by hand in the comments. */
class BinaryMetricsTest {
  //               row:    1    2    3    4    5    6
  static final int[] Y = {1, 0, 1, 0, 1, 0};
  static final double[] P = {0.9, 0.8, 0.6, 0.6, 0.3, 0.1};

  @Test
  void matchesTheHandComputation() {
    ModelMetrics m = BinaryMetrics.of(Y, P);

    // AUC: positives score 0.9, 0.6, 0.3; negatives 0.8, 0.6, 0.1. Of the 9 positive-negative
    // pairs the positive wins 0.9>0.8, 0.9>0.6, 0.9>0.1, 0.6>0.1, 0.3>0.1 (5), ties 0.6=0.6
    // (counts 1/2), loses 0.6<0.8, 0.3<0.8, 0.3<0.6 (3): AUC = 5.5 / 9.
    assertThat(m.auc()).isCloseTo(5.5 / 9, within(1e-12));

    // Log loss: -(ln 0.9 + ln 0.2 + ln 0.6 + ln 0.4 + ln 0.3 + ln 0.9) / 6
    //         = (0.105361 + 1.609438 + 0.510826 + 0.916291 + 1.203973 + 0.105361) / 6 = 0.741875
    assertThat(m.logLoss()).isCloseTo(0.741875, within(1e-6));

    // At 0.5: predicted positive rows 1,2,3,4 -> TP = 2 (rows 1, 3), FP = 2 (rows 2, 4);
    // predicted negative rows 5,6 -> FN = 1 (row 5), TN = 1 (row 6).
    assertThat(m.accuracy()).isCloseTo(3 / 6.0, within(1e-12));
    assertThat(m.precision()).isCloseTo(2 / 4.0, within(1e-12));
    assertThat(m.recall()).isCloseTo(2 / 3.0, within(1e-12));
    // F1 = 2 * 0.5 * 0.6667 / (0.5 + 0.6667) = 4/7
    assertThat(m.f1()).isCloseTo(4 / 7.0, within(1e-12));
    assertThat(m.rows()).isEqualTo(6);
    assertThat(BinaryMetrics.confusion(Y, P)).isEqualTo(new long[][] {{1, 2}, {1, 2}});
  }

  @Test
  void standardErrorsMatchTheHandComputation() {
    // Row losses (above) have mean 0.741875 and squared deviations summing to 1.860306, so a
    // sample variance of 1.860306 / 5 = 0.372061 and a standard error sqrt(0.372061 / 6).
    assertThat(BinaryMetrics.logLossStandardError(Y, P)).isCloseTo(0.249018, within(1e-6));

    // Hanley-McNeil for A = 5.5/9 with 3 positives and 3 negatives: Q1 = A/(2-A) = 0.44,
    // Q2 = 2A^2/(1+A) = 0.463602; variance (A(1-A) + 2(Q1-A^2) + 2(Q2-A^2)) / 9 = 0.061226.
    assertThat(BinaryMetrics.aucStandardError(5.5 / 9, 3, 3)).isCloseTo(0.247438, within(1e-6));
    // Typical of a canary bake: AUC 0.8 on 50 positives and 450 negatives.
    assertThat(BinaryMetrics.aucStandardError(0.8, 50, 450)).isCloseTo(0.038526, within(1e-6));

    assertThat(BinaryMetrics.logLossStandardError(new int[] {1}, new double[] {0.7})).isNaN();
    assertThat(BinaryMetrics.aucStandardError(0.7, 0, 10)).isNaN();
    assertThat(BinaryMetrics.aucStandardError(Double.NaN, 5, 10)).isNaN();
  }

  @Test
  void degenerateCasesAreDefinedNotErrors() {
    // Nothing predicted positive: precision 0 by definition, recall 0, F1 0.
    ModelMetrics none = BinaryMetrics.of(new int[] {1, 0}, new double[] {0.2, 0.1});
    assertThat(none.precision()).isZero();
    assertThat(none.recall()).isZero();
    assertThat(none.f1()).isZero();
    assertThat(none.auc()).isEqualTo(1.0);

    // One class only: AUC is undefined (NaN), which the gate never passes.
    assertThat(BinaryMetrics.of(new int[] {0, 0}, new double[] {0.2, 0.7}).auc()).isNaN();

    // Probabilities of exactly 0 and 1 are clipped, so a confident miss costs -ln(1e-15).
    ModelMetrics sure = BinaryMetrics.of(new int[] {1}, new double[] {0.0});
    assertThat(sure.logLoss()).isCloseTo(-Math.log(1e-15), within(1e-9));
  }

  @Test
  void rocRunsFromOriginToCorner() {
    double[][] roc = BinaryMetrics.roc(Y, P, 10);
    assertThat(roc[0]).containsExactly(0.0, 0.0);
    assertThat(roc[10]).containsExactly(1.0, 1.0);
    // Threshold 0.5: TPR 2/3, FPR 2/3.
    assertThat(roc[5][0]).isCloseTo(2 / 3.0, within(1e-12));
    assertThat(roc[5][1]).isCloseTo(2 / 3.0, within(1e-12));
  }

  @Test
  void rocCurveHasOnePointPerDistinctScoreAndItsAreaIsTheAuc() {
    // Scores from the top: 0.9 (pos) -> (0, 1/3); 0.8 (neg) -> (1/3, 1/3); the tie at 0.6 (one
    // pos, one neg) moves diagonally -> (2/3, 2/3); 0.3 (pos) -> (2/3, 1); 0.1 (neg) -> (1, 1).
    double[][] roc = BinaryMetrics.rocCurve(Y, P, 200);

    assertThat(roc)
        .isDeepEqualTo(
            new double[][] {
              {0, 0}, {0, 1 / 3.0}, {1 / 3.0, 1 / 3.0}, {2 / 3.0, 2 / 3.0}, {2 / 3.0, 1}, {1, 1}
            });
    // Trapezoids: 1/3 * 1/3 + 1/3 * (1/3 + 2/3) / 2 + 1/3 * 1 = 11/18 = 5.5/9, the AUC above.
    assertThat(area(roc)).isCloseTo(5.5 / 9, within(1e-12));
  }

  @Test
  void thinningDropsStraightRunsBeforeCorners() {
    double[][] staircase = {{0, 0}, {0, 0.5}, {0, 1}, {0.5, 1}, {1, 1}};

    // (0, 1) is the corner, farthest from the chord (0, 0)-(1, 1); the others lie on its legs.
    assertThat(BinaryMetrics.thin(staircase, 3))
        .isDeepEqualTo(new double[][] {{0, 0}, {0, 1}, {1, 1}});
    assertThat(BinaryMetrics.thin(staircase, 5)).isSameAs(staircase);
  }

  @Test
  void aThinnedCurveKeepsItsEndsItsOrderAndItsArea() {
    java.util.SplittableRandom random = new java.util.SplittableRandom(7);
    int n = 5000;
    int[] y = new int[n];
    double[] p = new double[n];
    for (int i = 0; i < n; i++) {
      y[i] = random.nextDouble() < 0.3 ? 1 : 0;
      // A noisy score with some signal, rounded so there are ties too.
      p[i] = Math.rint((0.35 * y[i] + 0.65 * random.nextDouble()) * 1000) / 1000;
    }
    double[][] exact = BinaryMetrics.rocCurve(y, p, Integer.MAX_VALUE);
    double[][] thinned = BinaryMetrics.rocCurve(y, p, 200);

    assertThat(exact.length).isGreaterThan(600);
    assertThat(thinned.length).isEqualTo(200);
    assertThat(thinned[0]).isEqualTo(new double[] {0, 0});
    assertThat(thinned[thinned.length - 1]).isEqualTo(new double[] {1, 1});
    for (int i = 1; i < thinned.length; i++) {
      assertThat(thinned[i][0]).isGreaterThanOrEqualTo(thinned[i - 1][0]);
      assertThat(thinned[i][1]).isGreaterThanOrEqualTo(thinned[i - 1][1]);
    }
    assertThat(area(exact)).isCloseTo(BinaryMetrics.auc(y, p), within(1e-9));
    // Chords under a concave curve cut a little area off; 200 points keep it under 0.001.
    assertThat(area(thinned)).isCloseTo(area(exact), within(1e-3));
    assertThat(BinaryMetrics.rocCurve(y, p, 200)).isDeepEqualTo(thinned);
  }

  private static double area(double[][] curve) {
    double a = 0;
    for (int i = 1; i < curve.length; i++) {
      a += (curve[i][0] - curve[i - 1][0]) * (curve[i][1] + curve[i - 1][1]) / 2;
    }
    return a;
  }

  @Test
  void nanScoresAreRefusedNotRankedHighest() {
    // Sorting put a NaN above every number: AUC 1.0 here for a model that scored nothing.
    int[] y = {0, 0, 1};
    double[] p = {0.2, 0.4, Double.NaN};
    assertThatThrownBy(() -> BinaryMetrics.auc(y, p))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("1 of 3 predicted probabilities are NaN: the model cannot be scored");
    assertThatThrownBy(() -> BinaryMetrics.of(y, p))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("NaN");
  }
}
