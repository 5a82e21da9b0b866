package dev.perennial.activities.drift;

import static org.assertj.core.api.Assertions.assertThat;

import dev.perennial.core.model.ReferenceProfile.NumericProfile;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Pins the slot every served value is counted in: {@link NumericDrift}'s lookup must put each value
 * exactly where a plain binary search over the distinct edges does (below, on an edge, between two
 * edges, above), whatever the sketch (ties, atoms at the ends, signed zeros, infinities, ranges too
 * wide or too narrow for a grid) and whatever the value (edges, their neighbours one ulp away, cell
 * boundaries, values outside the range, NaN).
 */
class NumericDriftSlotsTest {

  /** The slot assignment as the class documents it, by binary search over sorted distinct edges. */
  static final class BinarySearchSlots {
    final double[] edges;
    final long[] slots;
    long count;
    long missing;
    double below;
    double above;

    BinarySearchSlots(NumericProfile reference) {
      double[] deciles = reference.quantiles() == null ? new double[0] : reference.quantiles();
      double[] sketch =
          reference.sketch() != null && reference.sketch().length >= 2
              ? reference.sketch()
              : deciles;
      if (reference.count() == 0 || sketch.length < 2) {
        edges = new double[0];
      } else {
        double[] all = new double[sketch.length + deciles.length];
        System.arraycopy(sketch, 0, all, 0, sketch.length);
        System.arraycopy(deciles, 0, all, sketch.length, deciles.length);
        // Double.compare order, as a sorted set of Double keeps them: -0.0 and 0.0 are two edges.
        Arrays.sort(all);
        double[] distinct = new double[all.length];
        int d = 0;
        for (double v : all) {
          if (d == 0 || Double.compare(distinct[d - 1], v) != 0) {
            distinct[d++] = v;
          }
        }
        edges = Arrays.copyOf(distinct, d);
      }
      slots = new long[2 * edges.length + 1];
    }

    void accept(double x) {
      count++;
      if (Double.isNaN(x)) {
        missing++;
        return;
      }
      int d = edges.length;
      if (d == 0) {
        return;
      }
      if (x < edges[0]) {
        slots[0]++;
        below += edges[0] - x;
        return;
      }
      if (x > edges[d - 1]) {
        slots[2 * d]++;
        above += x - edges[d - 1];
        return;
      }
      int lo = 0;
      int hi = d;
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (edges[mid] < x) {
          lo = mid + 1;
        } else {
          hi = mid;
        }
      }
      slots[edges[lo] == x ? 2 * lo + 1 : 2 * lo]++;
    }
  }

  static NumericProfile profile(double[] sketch, double[] deciles) {
    return new NumericProfile(1000, 0, 0, 1, 0, 0, deciles, new long[10], sketch);
  }

  /** Deciles read off a sorted sketch, as the profiler's would be. */
  static double[] decilesOf(double[] sketch) {
    double[] q = new double[11];
    int k = sketch.length - 1;
    for (int i = 0; i <= 10; i++) {
      q[i] = sketch[(int) Math.round(i * k / 10.0)];
    }
    return q;
  }

  /** A random sorted sketch of {@code k + 1} points in one of several awkward shapes. */
  static double[] randomSketch(SplittableRandom random, int k) {
    double[] s = new double[k + 1];
    int shape = random.nextInt(10);
    double scale = Math.pow(10, random.nextInt(-12, 13));
    double offset = random.nextBoolean() ? 0 : scale * random.nextGaussian() * 10;
    for (int i = 0; i <= k; i++) {
      double z = random.nextGaussian();
      s[i] =
          switch (shape) {
            case 0 -> offset + scale * z;
            case 1 -> scale * Math.exp(2 * z); // log-normal: edges crowd at the low end
            case 2 -> Math.max(0, Math.round(2 + 1.5 * z)); // small integers: atoms
            case 3 -> random.nextInt(4) == 0 ? 0.0 : offset + scale * z; // atom inside
            case 4 -> 1 + Math.ulp(1.0) * random.nextInt(-20, 20); // a few ulps wide
            case 5 -> z * 1e307; // the range overflows to infinity
            case 6 -> random.nextBoolean() ? -0.0 : random.nextInt(-3, 4) * 0.5; // signed zeros
            case 7 -> 1 / (1 + Math.exp(-3 * z)); // shares, many near 0 and 1
            case 8 -> Math.round(z * 3) * scale + (random.nextInt(8) == 0 ? scale * z : 0);
            default -> Math.pow(z, 9) * scale; // extreme crowding near 0
          };
    }
    Arrays.sort(s);
    int ends = random.nextInt(12);
    if (ends == 0) {
      s[0] = Double.NEGATIVE_INFINITY;
    } else if (ends == 1) {
      s[k] = Double.POSITIVE_INFINITY;
    } else if (ends == 2) {
      // Atoms at both ends of the sketch.
      int m = random.nextInt(1, Math.max(2, k / 3));
      Arrays.fill(s, 0, m, s[0]);
      Arrays.fill(s, k + 1 - m, k + 1, s[k]);
    } else if (ends == 3) {
      Arrays.fill(s, s[random.nextInt(k + 1)]); // constant reference
    }
    return s;
  }

  /** Values that probe every slot and the boundaries between them. */
  static double[] probes(SplittableRandom random, double[] edges) {
    List<Double> v = new ArrayList<>();
    for (double e : edges) {
      v.add(e);
      v.add(Math.nextUp(e));
      v.add(Math.nextDown(e));
    }
    for (int j = 1; j < edges.length; j++) {
      v.add(edges[j - 1] / 2 + edges[j] / 2);
    }
    double[] special = {
      Double.NaN,
      Double.NEGATIVE_INFINITY,
      Double.POSITIVE_INFINITY,
      0.0,
      -0.0,
      Double.MIN_VALUE,
      -Double.MIN_VALUE,
      Double.MAX_VALUE,
      -Double.MAX_VALUE,
      1,
      -1
    };
    for (double x : special) {
      v.add(x);
    }
    if (edges.length > 0) {
      double low = edges[0];
      double high = edges[edges.length - 1];
      // Grid cell boundaries for grids of several sizes, and their neighbours.
      for (int cells : new int[] {4 * edges.length, 16 * edges.length, 1 << 14, 1000}) {
        for (int t = 0; t < 50; t++) {
          int c = random.nextInt(cells + 1);
          double x = low + c / (cells / (high - low));
          double y = low + (high - low) * c / cells;
          for (double z : new double[] {x, y}) {
            v.add(z);
            v.add(Math.nextUp(z));
            v.add(Math.nextDown(z));
          }
        }
      }
      for (int t = 0; t < 2000; t++) {
        double u = random.nextDouble();
        v.add(low + (high - low) * u);
        v.add(edges[random.nextInt(edges.length)]);
        v.add(low - Math.abs(high - low) * u);
        v.add(high + Math.abs(high - low) * u);
      }
    }
    double[] out = v.stream().mapToDouble(Double::doubleValue).toArray();
    // Shuffle so that runs of equal or neighbouring values do not hide a path.
    for (int i = out.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      double t = out[i];
      out[i] = out[j];
      out[j] = t;
    }
    return out;
  }

  /** Streams {@code values} one by one and as columns in random chunks; both as the reference. */
  static void assertSameSlots(NumericProfile profile, double[] values, SplittableRandom random) {
    BinarySearchSlots expected = new BinarySearchSlots(profile);
    for (double x : values) {
      expected.accept(x);
    }

    NumericDrift one = new NumericDrift(profile);
    for (double x : values) {
      one.accept(x);
    }
    NumericDrift chunks = new NumericDrift(profile);
    int from = 0;
    while (from < values.length) {
      int to = Math.min(values.length, from + random.nextInt(1, 3000));
      chunks.acceptAll(Arrays.copyOfRange(values, from, to));
      from = to;
    }
    for (NumericDrift drift : List.of(one, chunks)) {
      assertThat(drift.edges()).containsExactly(expected.edges);
      assertThat(drift.slotCounts()).containsExactly(expected.slots);
      assertThat(drift.tailDistances()).containsExactly(expected.below, expected.above);
      NumericDrift.Result r = drift.result();
      assertThat(r.count()).isEqualTo(expected.count);
      assertThat(r.missing()).isEqualTo(expected.missing);
    }
  }

  @Test
  void randomSketchesWithTiesCountEachValueInTheBinarySearchSlot() {
    SplittableRandom random = new SplittableRandom(20_260_101L);
    for (int round = 0; round < 400; round++) {
      int k =
          switch (random.nextInt(4)) {
            case 0, 1 -> 1000;
            case 2 -> 10;
            default -> random.nextInt(1, 1500);
          };
      double[] sketch = randomSketch(random, k);
      double[] deciles = decilesOf(sketch);
      if (random.nextInt(5) == 0) {
        // Deciles from another draw: edges the sketch does not have.
        deciles = decilesOf(randomSketch(random, 10));
      }
      NumericProfile profile = profile(random.nextInt(8) == 0 ? null : sketch, deciles);
      BinarySearchSlots edges = new BinarySearchSlots(profile);
      assertSameSlots(profile, probes(random, edges.edges), random);
    }
  }

  @Test
  void edgeCasesCountEachValueInTheBinarySearchSlot() {
    SplittableRandom random = new SplittableRandom(7);
    double[] constant = new double[1001];
    Arrays.fill(constant, 5.0);
    double[] signedZeros = {-0.0, -0.0, 0.0, 0.0, 0.0, 1, 1, 1, 1, 1, 1};
    double[] infinite = {
      Double.NEGATIVE_INFINITY, -1, 0, 1, 2, 3, 4, 5, 6, 7, Double.POSITIVE_INFINITY
    };
    double[] allInfinite = new double[11];
    Arrays.fill(allInfinite, Double.POSITIVE_INFINITY);
    double[] subnormal = {0, Double.MIN_VALUE, 2 * Double.MIN_VALUE, 3 * Double.MIN_VALUE};
    // The most distinct edges the lookup grid indexes (65,535, deciles among them); beyond that,
    // binary search throughout.
    double[] largest = new double[Character.MAX_VALUE];
    for (int i = 0; i < largest.length; i++) {
      largest[i] = Math.exp(i * 1e-4);
    }
    double[] huge = new double[70_001];
    for (int i = 0; i < huge.length; i++) {
      huge[i] = i * 0.5;
    }
    List<NumericProfile> profiles =
        List.of(
            profile(constant, decilesOf(constant)),
            profile(null, decilesOf(constant)),
            profile(null, signedZeros),
            profile(signedZeros, signedZeros),
            profile(infinite, infinite),
            profile(allInfinite, allInfinite),
            profile(subnormal, decilesOf(subnormal)),
            profile(new double[] {3.0}, decilesOf(constant)),
            profile(largest, decilesOf(largest)),
            profile(huge, decilesOf(huge)),
            new NumericProfile(0, 1, 0, 0, 0, 0, new double[0], new long[0], null));
    for (NumericProfile profile : profiles) {
      BinarySearchSlots edges = new BinarySearchSlots(profile);
      assertSameSlots(profile, probes(random, edges.edges), random);
    }
  }
}
