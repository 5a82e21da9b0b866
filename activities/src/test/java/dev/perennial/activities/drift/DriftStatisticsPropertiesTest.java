package dev.perennial.activities.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Properties of the drift statistics over seeded random samples, hostile ones included (ties,
 * signed zeros, huge and tiny magnitudes, NaN, infinities). Each case names its seed.
 */
class DriftStatisticsPropertiesTest {
  private static final int TRIES = 400;

  private static final double[] SPECIAL = {
    0.0,
    -0.0,
    1,
    -1,
    Double.MIN_VALUE,
    -Double.MIN_VALUE,
    1e300,
    -1e300,
    Double.MAX_VALUE / 4,
    1e-300
  };

  /** A finite sample: mostly Gaussian, with ties and special values mixed in. */
  static double[] finite(Random random) {
    double[] v = new double[1 + random.nextInt(60)];
    double scale = Math.pow(10, random.nextInt(20) - 10);
    for (int i = 0; i < v.length; i++) {
      v[i] =
          switch (random.nextInt(4)) {
            case 0 -> SPECIAL[random.nextInt(SPECIAL.length)];
            case 1 -> random.nextInt(3);
            default -> random.nextGaussian() * scale;
          };
    }
    return v;
  }

  /** A finite sample with NaN or an infinity put in somewhere. */
  static double[] hostile(Random random) {
    double[] v = finite(random);
    double[] bad = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
    for (int k = 1 + random.nextInt(3); k > 0; k--) {
      v[random.nextInt(v.length)] = bad[random.nextInt(bad.length)];
    }
    return v;
  }

  static double[] weights(Random random, int bins) {
    double[] w = new double[bins];
    for (int i = 0; i < bins; i++) {
      w[i] = random.nextInt(3) == 0 ? 0 : random.nextInt(1000);
    }
    return w;
  }

  static double[] shares(double[] counts) {
    double sum = 0;
    for (double c : counts) {
      sum += c;
    }
    double[] s = new double[counts.length];
    for (int i = 0; i < counts.length; i++) {
      s[i] = counts[i] / sum;
    }
    return s;
  }

  @Test
  void ksIsADistanceInTheUnitIntervalForFiniteSamples() {
    for (int seed = 0; seed < TRIES; seed++) {
      Random random = new Random(seed);
      double[] a = finite(random);
      double[] b = finite(random);
      double d = DriftStatistics.ksStatistic(a, b);
      assertThat(d).as("seed %d", seed).isBetween(0.0, 1.0);
      assertThat(DriftStatistics.ksStatistic(b, a)).as("seed %d", seed).isEqualTo(d);
      assertThat(DriftStatistics.ksStatistic(a, a.clone())).as("seed %d", seed).isZero();
      assertThat(DriftStatistics.ks(a, b).pValue()).as("seed %d", seed).isBetween(0.0, 1.0);
    }
  }

  @Test
  void wassersteinIsANonNegativeSymmetricDistance() {
    for (int seed = 0; seed < TRIES; seed++) {
      Random random = new Random(seed);
      double[] a = finite(random);
      double[] b = finite(random);
      double w = DriftStatistics.wasserstein(a, b);
      // Finite values near the double range can overflow to infinity, never to NaN or below 0.
      assertThat(w).as("seed %d", seed).isGreaterThanOrEqualTo(0.0);
      double back = DriftStatistics.wasserstein(b, a);
      assertThat(back).as("seed %d", seed).isCloseTo(w, within(Math.abs(w) * 1e-9 + 1e-300));
      assertThat(DriftStatistics.wasserstein(a, a.clone())).as("seed %d", seed).isZero();
    }
  }

  @Test
  void jensenShannonAndPsiOverBins() {
    for (int seed = 0; seed < TRIES; seed++) {
      Random random = new Random(seed);
      int bins = 1 + random.nextInt(12);
      double[] p = weights(random, bins);
      double[] q = weights(random, bins);
      p[random.nextInt(bins)] += 1;
      q[random.nextInt(bins)] += 1;
      double js = DriftStatistics.jensenShannon(p, q);
      assertThat(js).as("seed %d", seed).isBetween(0.0, 1.0);
      assertThat(DriftStatistics.jensenShannon(q, p)).as("seed %d", seed).isEqualTo(js);
      assertThat(DriftStatistics.jensenShannon(p, p.clone())).as("seed %d", seed).isZero();
      double[] scaled = p.clone();
      int factor = 1 + random.nextInt(1000);
      for (int i = 0; i < bins; i++) {
        scaled[i] *= factor;
      }
      assertThat(DriftStatistics.jensenShannon(p, scaled)).as("seed %d", seed).isZero();

      double[] e = shares(p);
      double[] a = shares(q);
      double psi = DriftStatistics.psi(e, a);
      assertThat(psi).as("seed %d", seed).isGreaterThanOrEqualTo(0.0).isFinite();
      assertThat(DriftStatistics.psi(a, e)).as("seed %d", seed).isCloseTo(psi, within(1e-12));
      assertThat(DriftStatistics.psi(e, e.clone())).as("seed %d", seed).isZero();
    }
  }

  @Test
  void hostileSamplesTerminateWithNaNOrAValue() {
    assertTimeoutPreemptively(
        Duration.ofSeconds(20),
        () -> {
          for (int seed = 0; seed < TRIES; seed++) {
            Random random = new Random(seed);
            double[] a = hostile(random);
            double[] b = random.nextBoolean() ? hostile(random) : finite(random);
            boolean nan = hasNaN(a) || hasNaN(b);
            double d = DriftStatistics.ksStatistic(a, b);
            double w = DriftStatistics.wasserstein(a, b);
            if (nan) {
              assertThat(d).as("seed %d", seed).isNaN();
              assertThat(w).as("seed %d", seed).isNaN();
            } else {
              // Infinities are values: KS stays a distance, Wasserstein may be infinite.
              assertThat(d).as("seed %d", seed).isBetween(0.0, 1.0);
              assertThat(w).as("seed %d", seed).isGreaterThanOrEqualTo(0.0);
            }
          }
        });
  }

  private static boolean hasNaN(double[] v) {
    for (double x : v) {
      if (Double.isNaN(x)) {
        return true;
      }
    }
    return false;
  }
}
