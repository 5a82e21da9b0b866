package dev.perennial.activities.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.perennial.core.model.ReferenceProfile;
import dev.perennial.core.model.ReferenceProfile.NumericProfile;
import java.util.Arrays;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The streamed statistics against the exact ones ({@link DriftStatistics}, themselves checked
 * against scipy) on the same rows, within the error bounds the accumulator states.
 */
class NumericDriftTest {

  static double[] gaussian(long seed, int n, DoubleUnaryOperator shape) {
    Random random = new Random(seed);
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = shape.applyAsDouble(random.nextGaussian());
    }
    return v;
  }

  static NumericDrift.Result stream(NumericProfile reference, double[] current) {
    NumericDrift drift = new NumericDrift(reference);
    drift.acceptAll(current);
    return drift.result();
  }

  /** Streams {@code current} against {@code training} and checks it against the exact results. */
  static NumericDrift.Result assertMatchesExact(double[] training, double[] current) {
    NumericProfile reference = ReferenceProfile.numeric(training);
    NumericDrift.Result r = stream(reference, current);
    double[] present = Arrays.stream(current).filter(x -> !Double.isNaN(x)).toArray();
    double[] trainingPresent = Arrays.stream(training).filter(x -> !Double.isNaN(x)).toArray();

    double exactKs = DriftStatistics.ksStatistic(trainingPresent, present);
    assertThat(r.ksStatistic()).isCloseTo(exactKs, within(r.ksErrorBound()));
    assertThat(r.ksPValue())
        .isEqualTo(
            DriftStatistics.ksPValue(r.ksStatistic(), trainingPresent.length, present.length));
    double exactW = DriftStatistics.wasserstein(trainingPresent, present);
    assertThat(r.wasserstein()).isCloseTo(exactW, within(r.wassersteinErrorBound()));

    // Decile bins: the streamed shares are exact, so PSI and JS equal the functions on them.
    double[] shares = new double[10];
    for (double x : present) {
      shares[ReferenceProfile.bin(reference.quantiles(), x)] += 1.0 / present.length;
    }
    for (int b = 0; b < 10; b++) {
      assertThat(r.currentShares()[b]).isCloseTo(shares[b], within(1e-12));
      assertThat(r.referenceShares()[b])
          .isEqualTo((double) reference.histogram()[b] / reference.count());
    }
    assertThat(r.psi()).isCloseTo(DriftStatistics.psi(r.referenceShares(), shares), within(1e-12));
    assertThat(r.jensenShannon())
        .isCloseTo(DriftStatistics.jensenShannon(r.referenceShares(), shares), within(1e-12));
    assertThat(r.binEdges()).containsExactly(reference.quantiles());
    assertThat(r.count()).isEqualTo(current.length);
    assertThat(r.present()).isEqualTo(present.length);
    return r;
  }

  @Test
  void sameDistributionStreamsCloseToTheExactStatistics() {
    NumericDrift.Result r =
        assertMatchesExact(
            gaussian(1, 20_000, z -> 50 + 10 * z), gaussian(2, 5_000, z -> 50 + 10 * z));
    // 2/1000 + 1/20000
    assertThat(r.ksErrorBound()).isCloseTo(0.00205, within(1e-12));
    assertThat(r.sketchIntervals()).isEqualTo(1000);
    // A useful bound: well under a tenth of the feature's standard deviation.
    assertThat(r.wassersteinErrorBound()).isLessThan(0.5);
    assertThat(r.ksPValue()).isGreaterThan(0.01);
    assertThat(r.psi()).isLessThan(0.01);
  }

  @Test
  void shiftedAndWidenedWindowIsDriftWithinTheBounds() {
    NumericDrift.Result shifted =
        assertMatchesExact(
            gaussian(3, 20_000, z -> 50 + 10 * z), gaussian(4, 5_000, z -> 53 + 10 * z));
    assertThat(shifted.ksPValue()).isLessThan(1e-6);
    // Wider than training: many values beyond the training range, counted by the exact tail sums.
    NumericDrift.Result wider =
        assertMatchesExact(
            gaussian(5, 20_000, z -> 50 + 10 * z), gaussian(6, 5_000, z -> 50 + 30 * z));
    assertThat(wider.currentShares()[0] + wider.currentShares()[9]).isGreaterThan(0.5);
    assertThat(wider.psi()).isGreaterThan(0.25);
  }

  @Test
  void heavyTailsAndTiesStayWithinTheBounds() {
    // Log-normal income-like column: the lookup grid is crowded in the body, sparse in the tail.
    assertMatchesExact(
        gaussian(7, 20_000, z -> Math.exp(10 + z)), gaussian(8, 5_000, z -> Math.exp(10.2 + z)));
    // Small integers: repeated sketch points make atoms, ties across the two samples.
    assertMatchesExact(
        gaussian(9, 20_000, z -> Math.max(0, Math.round(2 + 1.5 * z))),
        gaussian(10, 5_000, z -> Math.max(0, Math.round(2.4 + 1.5 * z))));
    // Binary column, with missing values on both sides.
    assertMatchesExact(
        gaussian(11, 10_000, z -> z > 1.5 ? Double.NaN : z > 0.3 ? 1 : 0),
        gaussian(12, 3_000, z -> z > 1.0 ? Double.NaN : z > 0 ? 1 : 0));
  }

  @Test
  void profilesWithoutTheSketchFallBackToTheCoarserDeciles() {
    double[] training = gaussian(13, 20_000, z -> 50 + 10 * z);
    double[] current = gaussian(14, 5_000, z -> 52 + 12 * z);
    NumericProfile full = ReferenceProfile.numeric(training);
    NumericProfile old =
        new NumericProfile(
            full.count(),
            full.missingRate(),
            full.mean(),
            full.std(),
            full.min(),
            full.max(),
            full.quantiles(),
            full.histogram(),
            null);
    NumericDrift.Result r = stream(old, current);
    assertThat(r.sketchIntervals()).isEqualTo(10);
    assertThat(r.ksErrorBound()).isCloseTo(0.2 + 1 / 20_000.0, within(1e-12));
    assertThat(r.ksStatistic())
        .isCloseTo(DriftStatistics.ksStatistic(training, current), within(r.ksErrorBound()));
    assertThat(r.wasserstein())
        .isCloseTo(
            DriftStatistics.wasserstein(training, current), within(r.wassersteinErrorBound()));
    // Decile-bin statistics need no sketch: same as with it.
    NumericDrift.Result withSketch = stream(full, current);
    // (summed over different slots, so equal up to rounding)
    assertThat(r.psi()).isCloseTo(withSketch.psi(), within(1e-12));
    assertThat(r.jensenShannon()).isCloseTo(withSketch.jensenShannon(), within(1e-12));
  }

  @Test
  void emptyWindowSaysSoWithNaNStatistics() {
    NumericDrift.Result r =
        stream(ReferenceProfile.numeric(gaussian(15, 1000, z -> z)), new double[0]);
    assertThat(r.count()).isZero();
    assertThat(r.incomparable()).isTrue();
    assertThat(r.missingRate()).isNaN();
    assertThat(r.psi()).isNaN();
    assertThat(r.ksStatistic()).isNaN();
    assertThat(r.ksPValue()).isNaN();
    assertThat(r.jensenShannon()).isNaN();
    assertThat(r.wasserstein()).isNaN();
    assertThat(r.currentShares()).containsOnly(0.0);
    assertThat(r.referenceShares()).hasSize(10);
  }

  @Test
  void allMissingWindowHasAMissingRateAndNoDistribution() {
    double[] current = new double[50];
    Arrays.fill(current, Double.NaN);
    NumericDrift.Result r = stream(ReferenceProfile.numeric(gaussian(16, 1000, z -> z)), current);
    assertThat(r.count()).isEqualTo(50);
    assertThat(r.missing()).isEqualTo(50);
    assertThat(r.missingRate()).isEqualTo(1.0);
    assertThat(r.referenceMissingRate()).isZero();
    assertThat(r.incomparable()).isTrue();
    assertThat(r.ksStatistic()).isNaN();
  }

  @Test
  void referenceWithoutValuesCannotBeComparedButStillCounts() {
    double[] training = new double[100];
    Arrays.fill(training, Double.NaN);
    NumericDrift.Result r =
        stream(ReferenceProfile.numeric(training), new double[] {1, 2, Double.NaN});
    assertThat(r.count()).isEqualTo(3);
    assertThat(r.missingRate()).isCloseTo(1 / 3.0, within(1e-12));
    assertThat(r.referenceMissingRate()).isEqualTo(1.0);
    assertThat(r.incomparable()).isTrue();
    assertThat(r.psi()).isNaN();
    assertThat(r.sketchIntervals()).isZero();
    assertThat(r.binEdges()).isEmpty();
  }

  @Test
  void constantColumnsAreExactAtTheAtom() {
    double[] five = new double[1000];
    Arrays.fill(five, 5.0);
    // Constant reference, varied window: KS is the larger share below or above 5 (2 of 8 above),
    // Wasserstein the mean distance to 5.
    double[] current = {5, 5, 4, 7, 5, 5, 5, 6};
    NumericDrift.Result r = assertMatchesExact(five, current);
    assertThat(r.ksStatistic()).isCloseTo(2 / 8.0, within(1e-12));
    assertThat(r.wasserstein()).isCloseTo((1 + 2 + 1) / 8.0, within(1e-12));
    assertThat(r.wassersteinErrorBound()).isZero();
    // Same constant both sides: no drift at all.
    NumericDrift.Result same = assertMatchesExact(five, new double[] {5, 5, 5});
    assertThat(same.ksStatistic()).isZero();
    assertThat(same.wasserstein()).isZero();
    assertThat(same.psi()).isZero();
    assertThat(same.jensenShannon()).isZero();
    // Varied reference, constant window at its median.
    NumericDrift.Result constantWindow =
        assertMatchesExact(gaussian(17, 10_000, z -> z), new double[] {0, 0, 0, 0});
    assertThat(constantWindow.ksStatistic()).isCloseTo(0.5, within(constantWindow.ksErrorBound()));
  }

  @Test
  void sketchCdfInterpolatesAndStepsOverAtoms() {
    double[] sketch = {0, 1, 1, 1, 2};
    assertThat(NumericDrift.sketchCdf(sketch, -1, false)).isZero();
    assertThat(NumericDrift.sketchCdf(sketch, 0.5, false)).isEqualTo(0.125);
    // The atom at 1 carries sketch steps 1..3: G(1-) = 1/4, G(1) = 3/4.
    assertThat(NumericDrift.sketchCdf(sketch, 1, true)).isEqualTo(0.25);
    assertThat(NumericDrift.sketchCdf(sketch, 1, false)).isEqualTo(0.75);
    // G rises linearly from 3/4 at 1 to 1 at the last sketch point.
    assertThat(NumericDrift.sketchCdf(sketch, 1.5, false)).isEqualTo(0.875);
    assertThat(NumericDrift.sketchCdf(sketch, 2, true)).isEqualTo(1.0);
    assertThat(NumericDrift.sketchCdf(sketch, 2, false)).isEqualTo(1.0);
    assertThat(NumericDrift.integralOfAbsoluteLinear(1, -1)).isEqualTo(0.5);
    assertThat(NumericDrift.integralOfAbsoluteLinear(-1, -3)).isEqualTo(2.0);
  }

  @Test
  void resultsCanBeTakenMidStream() {
    double[] training = gaussian(18, 5_000, z -> z);
    NumericDrift drift = new NumericDrift(ReferenceProfile.numeric(training));
    double[] current = gaussian(19, 2_000, z -> z + 0.5);
    drift.acceptAll(Arrays.copyOf(current, 1000));
    NumericDrift.Result half = drift.result();
    drift.acceptAll(Arrays.copyOfRange(current, 1000, 2000));
    assertThat(half.count()).isEqualTo(1000);
    assertThat(drift.result().ksStatistic())
        .isCloseTo(
            DriftStatistics.ksStatistic(training, current), within(drift.result().ksErrorBound()));
  }

  @Test
  void theTrainingValuesThemselvesAreNoDriftAtAll() {
    // Shares summed slot by slot used to differ from the training shares by rounding: JS about
    // 1e-8 on most of these.
    for (int seed = 0; seed < 6; seed++) {
      double[] training = gaussian(seed, 1000 + 997 * seed, seed % 2 == 0 ? x -> x : Math::exp);
      NumericDrift.Result r = stream(ReferenceProfile.numeric(training), training);
      assertThat(r.jensenShannon()).as("seed %d", seed).isZero();
      assertThat(r.psi()).as("seed %d", seed).isCloseTo(0, within(1e-15));
    }
  }

  @Test
  void aProfileWithNaNQuantilesIsRefused() {
    double[] deciles = new double[11];
    Arrays.setAll(deciles, k -> k);
    deciles[10] = Double.POSITIVE_INFINITY;
    double[] sketch = deciles.clone();
    sketch[9] = Double.NaN;
    NumericProfile broken =
        new NumericProfile(
            100,
            0,
            Double.NaN,
            Double.NaN,
            0,
            Double.POSITIVE_INFINITY,
            deciles,
            new long[10],
            sketch);
    // It used to fail in sketchCdf with ArrayIndexOutOfBoundsException: index -1.
    assertThatThrownBy(() -> new NumericDrift(broken))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("NaN quantile");
  }
}
