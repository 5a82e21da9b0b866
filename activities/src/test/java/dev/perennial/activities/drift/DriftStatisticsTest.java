package dev.perennial.activities.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Each expected value comes from scipy 1.17.1 / numpy 2.4.6; the Python that produced it is in the
 * comment beside it ({@code import numpy as np; from scipy import stats; from
 * scipy.spatial.distance import jensenshannon}).
 */
class DriftStatisticsTest {

  /**
   * Same doubles as {@code np.arange(1, n + 1) * step % 1.0 * scale}: products of a small integer
   * and a constant and fmod round identically in Java and numpy.
   */
  static double[] sequence(int n, double step, double scale, double shift) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = (i + 1) * step % 1.0 * scale + shift;
    }
    return v;
  }

  // a = np.arange(1, 1201) * 0.6180339887 % 1.0
  static final double[] A = sequence(1200, 0.6180339887, 1, 0);
  // b = np.arange(1, 801) * 0.41421356237 % 1.0 * 1.1
  static final double[] B = sequence(800, 0.41421356237, 1.1, 0);
  // a2 = np.arange(1, 301) * 0.6180339887 % 1.0
  static final double[] A2 = sequence(300, 0.6180339887, 1, 0);
  // b2 = np.arange(1, 201) * 0.41421356237 % 1.0 + 0.08
  static final double[] B2 = sequence(200, 0.41421356237, 1, 0.08);

  @Test
  void psiMatchesNumpyWithTheEpsilonFloor() {
    double[] expected = {0.1, 0.2, 0.3, 0.4, 0.0};
    double[] actual = {0.15, 0.15, 0.3, 0.3, 0.1};
    // e = np.maximum([.1, .2, .3, .4, 0], 1e-4); a = np.maximum([.15, .15, .3, .3, .1], 1e-4)
    // np.sum((a - e) * np.log(a / e)) -> 0.7535103186434909
    assertThat(DriftStatistics.psi(expected, actual)).isCloseTo(0.7535103186434909, within(1e-12));
    assertThat(DriftStatistics.psi(expected, expected)).isZero();
    assertThatThrownBy(() -> DriftStatistics.psi(new double[2], new double[3]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void ksMatchesScipyAsymp() {
    // stats.ks_2samp(a, b, method='asymp') -> statistic 0.09125000000000005,
    //   pvalue 0.0006283138560695397 (effective size round(1200*800/2000) = 480)
    DriftStatistics.KsTest t = DriftStatistics.ks(A, B);
    assertThat(t.statistic()).isCloseTo(0.09125000000000005, within(1e-12));
    assertThat(t.pValue()).isCloseTo(0.0006283138560695397, within(6e-4));
    assertThat(t.pValue()).isCloseTo(0.0006283138560695397, within(0.0006283138560695397 * 0.02));

    // stats.ks_2samp(a2, b2, method='asymp') -> 0.08666666666666667, 0.31015019357537027
    DriftStatistics.KsTest t2 = DriftStatistics.ks(A2, B2);
    assertThat(t2.statistic()).isCloseTo(0.08666666666666667, within(1e-12));
    assertThat(t2.pValue()).isCloseTo(0.31015019357537027, within(6e-4));

    // Ties across samples: stats.ks_2samp([1, 1, 2, 4], [1, 3, 3], method='asymp')
    //   -> statistic 0.4166666666666667 (at x = 2: 3/4 - 1/3)
    assertThat(DriftStatistics.ksStatistic(new double[] {1, 1, 2, 4}, new double[] {1, 3, 3}))
        .isCloseTo(0.4166666666666667, within(1e-12));
    assertThat(DriftStatistics.ks(new double[0], A).statistic()).isNaN();
    assertThat(DriftStatistics.ks(new double[0], A).pValue()).isNaN();
  }

  @Test
  void ksPValueIsWithinTheStatedDistanceOfScipy() {
    // stats.kstwo.sf(d, np.round(n * m / (n + m))), the distribution ks_2samp's 'asymp' uses.
    // Effective size N >= 500: within 4e-5.
    // kstwo.sf(0.05, 500) -> 0.15866260223815387
    assertThat(DriftStatistics.ksPValue(0.05, 1000, 1000))
        .isCloseTo(0.15866260223815387, within(4e-5));
    // kstwo.sf(0.02, 4000) -> 0.08043072865191048
    assertThat(DriftStatistics.ksPValue(0.02, 5000, 20000))
        .isCloseTo(0.08043072865191048, within(4e-5));
    // kstwo.sf(0.04, 50000) -> 5.996629751403063e-70
    assertThat(DriftStatistics.ksPValue(0.04, 100000, 100000))
        .isCloseTo(5.996629751403063e-70, within(4e-5));
    // Effective size 20 <= N < 500: within 6e-4.
    // kstwo.sf(0.1, 120) -> 0.16946138370670658
    assertThat(DriftStatistics.ksPValue(0.1, 300, 200))
        .isCloseTo(0.16946138370670658, within(6e-4));
    // kstwo.sf(0.3, 15): N = round(40*25/65) = 15, below the stated range; still within 2e-3
    //   -> 0.10797506243355104
    assertThat(DriftStatistics.ksPValue(0.3, 40, 25)).isCloseTo(0.10797506243355104, within(2e-3));
    // kstwo.sf(0.15, 80) -> 0.04902030999474837
    assertThat(DriftStatistics.ksPValue(0.15, 100, 400))
        .isCloseTo(0.04902030999474837, within(6e-4));
    // kstwo.sf(0.2, 30) -> 0.15796916101547398
    assertThat(DriftStatistics.ksPValue(0.2, 60, 60)).isCloseTo(0.15796916101547398, within(6e-4));

    assertThat(DriftStatistics.ksPValue(0, 100, 100)).isEqualTo(1.0);
    assertThat(DriftStatistics.ksPValue(0.1, 0, 100)).isNaN();
  }

  @Test
  void kolmogorovSurvivalIsContinuousWhereItsTwoSeriesMeet() {
    // stats.kstwobign.sf(1.18) -> 0.1234538094297657 ; kstwobign.sf(0.5) -> 0.9639452436648751
    // stats.kstwobign.sf(2.0) -> 0.0006709252557796953
    assertThat(DriftStatistics.kolmogorovSurvival(1.18))
        .isCloseTo(0.1234538094297657, within(1e-14));
    assertThat(DriftStatistics.kolmogorovSurvival(Math.nextDown(1.18)))
        .isCloseTo(0.1234538094297657, within(1e-14));
    assertThat(DriftStatistics.kolmogorovSurvival(0.5))
        .isCloseTo(0.9639452436648751, within(1e-14));
    assertThat(DriftStatistics.kolmogorovSurvival(2.0))
        .isCloseTo(0.0006709252557796953, within(1e-16));
    assertThat(DriftStatistics.kolmogorovSurvival(0.05)).isEqualTo(1.0);
  }

  @Test
  void chiSquareMatchesScipyContingencyWithoutCorrection() {
    // The all-zero third category is dropped (scipy refuses a zero expected count), so:
    // stats.chi2_contingency([[30, 14, 6, 50], [25, 20, 15, 40]], correction=False)
    //   -> statistic 6.481622952211188, pvalue 0.0903900735558767, dof 3
    DriftStatistics.ChiSquare c =
        DriftStatistics.chiSquare(new long[] {30, 14, 0, 6, 50}, new long[] {25, 20, 0, 15, 40});
    assertThat(c.statistic()).isCloseTo(6.481622952211188, within(1e-10));
    assertThat(c.degreesOfFreedom()).isEqualTo(3);
    assertThat(c.pValue()).isCloseTo(0.0903900735558767, within(1e-12));

    // stats.chi2_contingency([[500, 300, 200], [450, 350, 200]], correction=False)
    //   -> 6.477732793522268, 0.03920831659073434, dof 2
    DriftStatistics.ChiSquare c2 =
        DriftStatistics.chiSquare(new long[] {500, 300, 200}, new long[] {450, 350, 200});
    assertThat(c2.statistic()).isCloseTo(6.477732793522268, within(1e-10));
    assertThat(c2.degreesOfFreedom()).isEqualTo(2);
    assertThat(c2.pValue()).isCloseTo(0.03920831659073434, within(1e-12));

    // One category seen: nothing can differ (scipy also gives statistic 0, p 1, dof 0).
    assertThat(DriftStatistics.chiSquare(new long[] {5, 0}, new long[] {9, 0}))
        .isEqualTo(new DriftStatistics.ChiSquare(0, 0, 1));
    // An empty sample: undefined.
    DriftStatistics.ChiSquare empty = DriftStatistics.chiSquare(new long[] {5, 3}, new long[2]);
    assertThat(empty.statistic()).isNaN();
    assertThat(empty.pValue()).isNaN();
  }

  @Test
  void chiSquareSurvivalMatchesScipyIncludingTinyTails() {
    // stats.chi2.sf(x, k) for each (x, k):
    assertThat(DriftStatistics.chiSquareSurvival(3.0, 1))
        .isCloseTo(0.08326451666355042, within(1e-13)); // (3, 1)
    assertThat(DriftStatistics.chiSquareSurvival(10.0, 4))
        .isCloseTo(0.04042768199451279, within(1e-13)); // (10, 4)
    assertThat(DriftStatistics.chiSquareSurvival(30.0, 12))
        .isCloseTo(0.0027924293327009145, within(1e-14)); // (30, 12)
    assertThat(DriftStatistics.chiSquareSurvival(0.5, 7))
        .isCloseTo(0.9994464813904249, within(1e-13)); // (0.5, 7)
    // Many categories: (150, 200) on the series side, (250, 200) on the continued fraction side.
    assertThat(DriftStatistics.chiSquareSurvival(150.0, 200))
        .isCloseTo(0.996647558501813, within(1e-13));
    assertThat(DriftStatistics.chiSquareSurvival(250.0, 200))
        .isCloseTo(0.009379131668826098, within(1e-14));
    assertThat(DriftStatistics.chiSquareSurvival(0.001, 2))
        .isCloseTo(0.9995001249791693, within(1e-14)); // (0.001, 2)
    assertThat(DriftStatistics.chiSquareSurvival(1.0, 1))
        .isCloseTo(0.31731050786291115, within(1e-14)); // (1, 1)
    assertThat(DriftStatistics.chiSquareSurvival(0, 3)).isEqualTo(1.0);
    // Tails far below any threshold keep their relative precision: (150, 4), (400, 30).
    assertThat(DriftStatistics.chiSquareSurvival(150.0, 4))
        .isCloseTo(2.035764090974152e-31, within(2.035764090974152e-31 * 1e-8));
    assertThat(DriftStatistics.chiSquareSurvival(400.0, 30))
        .isCloseTo(2.7954938576565057e-66, within(2.7954938576565057e-66 * 1e-8));
  }

  @Test
  void jensenShannonMatchesScipyBase2() {
    // jensenshannon([0.1, 0.4, 0.5, 0], [0.3, 0.3, 0.2, 0.2], base=2) -> 0.43683215140127296
    assertThat(
            DriftStatistics.jensenShannon(
                new double[] {0.1, 0.4, 0.5, 0}, new double[] {0.3, 0.3, 0.2, 0.2}))
        .isCloseTo(0.43683215140127296, within(1e-12));
    // Unnormalized weights are scaled to sum 1, as scipy does:
    // jensenshannon([1, 2, 3], [3, 2, 1], base=2) -> 0.35470351519813204
    assertThat(DriftStatistics.jensenShannon(new double[] {1, 2, 3}, new double[] {3, 2, 1}))
        .isCloseTo(0.35470351519813204, within(1e-12));
    // jensenshannon([1, 0], [0, 1], base=2) -> 1.0
    assertThat(DriftStatistics.jensenShannon(new double[] {1, 0}, new double[] {0, 1}))
        .isCloseTo(1.0, within(1e-12));
    assertThat(DriftStatistics.jensenShannon(new double[] {1, 2}, new double[] {1, 2})).isZero();
    assertThat(DriftStatistics.jensenShannon(new double[2], new double[] {1, 2})).isNaN();
  }

  @Test
  void wassersteinMatchesScipy() {
    // stats.wasserstein_distance(a, b) -> 0.04979456504691252
    assertThat(DriftStatistics.wasserstein(A, B)).isCloseTo(0.04979456504691252, within(1e-12));
    // stats.wasserstein_distance(a2, b2) -> 0.07768105216832873
    assertThat(DriftStatistics.wasserstein(A2, B2)).isCloseTo(0.07768105216832873, within(1e-12));
    // stats.wasserstein_distance([0, 1, 3], [5, 6, 8]) -> 5.0 (a shift by 5)
    assertThat(DriftStatistics.wasserstein(new double[] {0, 1, 3}, new double[] {5, 6, 8}))
        .isCloseTo(5.0, within(1e-12));
    // stats.wasserstein_distance([1, 1, 2, 4], [1, 3, 3]) -> 0.8333333333333334
    assertThat(DriftStatistics.wasserstein(new double[] {1, 1, 2, 4}, new double[] {1, 3, 3}))
        .isCloseTo(0.8333333333333334, within(1e-12));
    assertThat(DriftStatistics.wasserstein(new double[0], A)).isNaN();
  }

  @Test
  void aNaNValueMakesKsAndWassersteinNaNInsteadOfLoopingForever() {
    // scipy: stats.ks_2samp([1, nan], [1, 2]) -> nan; stats.wasserstein_distance([1, nan], [1, 2])
    //   -> nan. The merge loops used to spin on the NaN, which equals nothing.
    double[] withNaN = {1, Double.NaN, 3};
    double[] clean = {1, 2};
    assertTimeoutPreemptively(
        Duration.ofSeconds(5),
        () -> {
          assertThat(DriftStatistics.ksStatistic(withNaN, clean)).isNaN();
          assertThat(DriftStatistics.ksStatistic(clean, withNaN)).isNaN();
          assertThat(DriftStatistics.ks(withNaN, clean).pValue()).isNaN();
          assertThat(DriftStatistics.wasserstein(withNaN, clean)).isNaN();
          assertThat(DriftStatistics.wasserstein(clean, withNaN)).isNaN();
        });
  }

  @Test
  void infinitiesAreValues() {
    double inf = Double.POSITIVE_INFINITY;
    assertThat(DriftStatistics.ksStatistic(new double[] {-inf, 0}, new double[] {0, 1}))
        .isEqualTo(0.5);
    // Mass at -inf on one side only: infinitely far; the same infinities on both sides cost nothing
    // (scipy gives nan for the latter, from 0 * inf).
    assertThat(DriftStatistics.wasserstein(new double[] {-inf, 0}, new double[] {0, 1}))
        .isEqualTo(inf);
    assertThat(
            DriftStatistics.wasserstein(new double[] {-inf, 0, inf}, new double[] {-inf, 0, inf}))
        .isZero();
    assertThat(DriftStatistics.wasserstein(new double[] {-inf, 0, 1}, new double[] {-inf, 0, 2}))
        .isCloseTo(1 / 3.0, within(1e-15));
  }

  @Test
  void jensenShannonOfProportionalCountsIsExactlyZero() {
    // Shares 1/3 of 3 counts of 7 against 1/3 of 3 counts of 9 round differently; the cross
    // products 7 * 27 and 9 * 21 do not.
    assertThat(DriftStatistics.jensenShannon(new double[] {7, 7, 7}, new double[] {9, 9, 9}))
        .isZero();
    assertThat(
            DriftStatistics.jensenShannon(
                new double[] {1, 2, 30_001, 17}, new double[] {3, 6, 90_003, 51}))
        .isZero();
  }
}
