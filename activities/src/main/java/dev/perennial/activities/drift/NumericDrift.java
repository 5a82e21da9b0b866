package dev.perennial.activities.drift;

import dev.perennial.core.model.ReferenceProfile;
import java.util.TreeSet;

/**
 * Streams one numeric feature of a window of served rows and compares it with the training
 * reference, in memory fixed by the reference whatever the number of rows: 74 bytes per distinct
 * edge (three doubles, two slot counters and their decile bins, 16 lookup-grid cells of 2 bytes),
 * under 76 KB with a 1,000-interval sketch (at most 1,012 edges).
 *
 * <p>How: the reference is known only through its quantile sketch {@code s_0 <= ... <= s_k} ({@link
 * ReferenceProfile.NumericProfile#sketch()}, {@code k} = 1,000; the 11 deciles, {@code k} = 10, for
 * profiles written before the sketch existed). Its CDF is modelled by {@code G}: {@code i/k} at
 * {@code s_i} (the last such {@code i} where sketch points repeat, which makes an atom), linear in
 * between, 0 below {@code s_0}, 1 from {@code s_k}. Each current value is counted in a slot: below
 * the smallest edge, exactly on an edge, strictly between two consecutive distinct edges, or above
 * the largest, with exact sums of the distances of the values outside the reference range. The
 * edges are the distinct sketch points plus the deciles, so the decile bins (PSI, Jensen-Shannon,
 * histogram) are unions of slots. The current CDF {@code F_c} is then known exactly at every edge
 * and just below it.
 *
 * <p>Error bounds, with {@code N} the reference's present values:
 *
 * <ul>
 *   <li>KS: {@code |F_r - G| <= 1/k + 1/N} everywhere ({@code F_r} the training ECDF; both are
 *       within one sketch step of each other since each {@code s_i} is interpolated between order
 *       statistics {@code floor} and {@code ceil} of {@code i (N-1)/k}). Between consecutive edges
 *       {@code G} rises by at most {@code 1/k}, so {@code sup |G - F_c|} lies within {@code 1/k}
 *       above its largest value at the edges and just below them, which is what is computed. Hence
 *       the streamed statistic is within {@code 2/k + 1/N} of the exact two-sample statistic on the
 *       training rows and the window ({@link Result#ksErrorBound()}; 0.002 + 1/N with the sketch,
 *       0.2 + 1/N with deciles only).
 *   <li>Wasserstein-1: outside the reference range exact (tail sums). Inside, each interval of
 *       width {@code w} between edges contributes {@code integral |G - F~_c|} where {@code F~_c}
 *       spreads the interval's current share {@code c} evenly over it; that differs from the exact
 *       integral by at most {@code w (c/2 + 1/k + 1/N)}, summed into {@link
 *       Result#wassersteinErrorBound()} from the data seen.
 * </ul>
 *
 * <p>Missing values are {@code NaN} and only counted. Infinite values are values: they land in the
 * tails and make the Wasserstein distance infinite.
 *
 * <p>Not thread-safe: one accumulator per feature per scanning thread.
 */
public final class NumericDrift {
  /**
   * Grid cells per edge for the lookup table that replaces the binary search: fine enough that with
   * 1,000 sketch intervals most values fall in a cell holding no edge or one, even for skewed
   * (log-normal) features whose edges crowd at one end of the range.
   */
  private static final int CELLS_PER_EDGE = 16;

  /**
   * Cells holding at most this many edges are settled by as many comparisons that add 0 or 1 (the
   * three lines in {@link #slot}); fuller cells (rare) by a binary search within the cell.
   */
  private static final int STEPS = 3;

  private final ReferenceProfile.NumericProfile reference;
  private final int sketchIntervals;

  /** Distinct edges, ascending; empty when the reference has no present values. */
  private final double[] edges;

  /** {@code G(e^-)} and {@code G(e)} per edge. */
  private final double[] referenceBelow;

  private final double[] referenceAt;

  /** Slot {@code 2j}: strictly between edge {@code j-1} and {@code j}; {@code 2j+1}: on edge j. */
  private final long[] slots;

  /** Decile bin (0 to 9) of each slot. */
  private final byte[] slotBin;

  private final double low;
  private final double high;

  /**
   * The lookup grid: value {@code x} in {@code [low, high]} falls in cell {@link #cell}, and {@code
   * cellStart[c]} is the first edge whose own cell is {@code c} or later ({@code d} past the last).
   * Since {@link #cell} is non-decreasing in {@code x} and the table is built with it, the number
   * of edges below {@code x} lies in {@code [cellStart[c], cellStart[c + 1]]} without rounding
   * corrections. {@code 16 d + 1} {@code char} indices, 32 bytes an edge; {@code null} beyond
   * {@link Character#MAX_VALUE} edges (not a sketch this project writes), which binary-search.
   */
  private final char[] cellStart;

  private final double cellScale;
  private final int lastCell;

  private long count;
  private long missing;
  private double belowDistance;
  private double aboveDistance;

  /** An accumulator comparing against {@code reference}. */
  public NumericDrift(ReferenceProfile.NumericProfile reference) {
    this.reference = reference;
    double[] deciles = reference.quantiles() == null ? new double[0] : reference.quantiles();
    double[] sketch =
        reference.sketch() != null && reference.sketch().length >= 2 ? reference.sketch() : deciles;
    if (reference.count() == 0 || sketch.length < 2) {
      sketchIntervals = 0;
      edges = new double[0];
      referenceBelow = new double[0];
      referenceAt = new double[0];
      slots = new long[1];
      slotBin = new byte[1];
      low = Double.NaN;
      high = Double.NaN;
      cellStart = new char[2];
      cellScale = 0;
      lastCell = 0;
      return;
    }
    if (deciles.length != 11) {
      throw new IllegalArgumentException(
          "reference profile with values needs 11 deciles, has " + deciles.length);
    }
    // Infinite edges are counted like any other (one grid cell); a NaN edge orders nowhere.
    for (double s : sketch) {
      if (Double.isNaN(s)) {
        throw new IllegalArgumentException(
            "reference profile holds a NaN quantile: not comparable");
      }
    }
    for (double q : deciles) {
      if (Double.isNaN(q)) {
        throw new IllegalArgumentException("reference profile holds a NaN decile: not comparable");
      }
    }
    sketchIntervals = sketch.length - 1;
    TreeSet<Double> distinct = new TreeSet<>();
    for (double s : sketch) {
      distinct.add(s);
    }
    for (double q : deciles) {
      distinct.add(q);
    }
    edges = distinct.stream().mapToDouble(Double::doubleValue).toArray();
    int d = edges.length;
    referenceBelow = new double[d];
    referenceAt = new double[d];
    for (int j = 0; j < d; j++) {
      referenceBelow[j] = sketchCdf(sketch, edges[j], true);
      referenceAt[j] = sketchCdf(sketch, edges[j], false);
    }
    slots = new long[2 * d + 1];
    slotBin = new byte[2 * d + 1];
    slotBin[0] = 0;
    slotBin[2 * d] = (byte) (deciles.length - 2);
    for (int j = 0; j < d; j++) {
      slotBin[2 * j + 1] = (byte) ReferenceProfile.bin(deciles, edges[j]);
      if (j > 0) {
        // No decile lies strictly between two edges (deciles are edges), so the midpoint speaks
        // for the whole open interval.
        slotBin[2 * j] = (byte) ReferenceProfile.bin(deciles, (edges[j - 1] + edges[j]) / 2);
      }
    }
    low = edges[0];
    high = edges[d - 1];
    if (d > Character.MAX_VALUE) {
      cellStart = null;
      cellScale = 0;
      lastCell = 0;
      return;
    }
    int cells = CELLS_PER_EDGE * d;
    double scale = cells / (high - low);
    // An infinite or empty range (or one too narrow for the grid) gets a single cell: any
    // non-decreasing cell function is exact, a constant one merely slow.
    cellScale = scale > 0 && scale < Double.POSITIVE_INFINITY ? scale : 0;
    lastCell = cellScale > 0 ? cells - 1 : 0;
    cellStart = new char[lastCell + 2];
    int j = 0;
    for (int c = 0; c <= lastCell + 1; c++) {
      while (j < d && cell(edges[j], low, cellScale, lastCell) < c) {
        j++;
      }
      cellStart[c] = (char) j;
    }
  }

  /**
   * The grid cell of {@code low <= x <= high}: non-decreasing in {@code x} (a subtraction and a
   * multiplication by a non-negative constant, each correctly rounded, then a truncation and a
   * cap), the same for {@code -0.0} and {@code 0.0}. A positive scale means a finite range, so no
   * {@code NaN} arises; with scale 0 the product is 0 or {@code NaN} (infinite ends), both cell 0.
   */
  private static int cell(double x, double low, double scale, int lastCell) {
    return Math.min((int) ((x - low) * scale), lastCell);
  }

  /**
   * The sketch CDF {@code G} at {@code x}, or its left limit {@code G(x^-)} when {@code below}: the
   * last (first) index of a sketch point equal to {@code x} over {@code k}, else interpolated.
   */
  static double sketchCdf(double[] sketch, double x, boolean below) {
    int k = sketch.length - 1;
    if (below ? x <= sketch[0] : x < sketch[0]) {
      return 0;
    }
    if (below ? x > sketch[k] : x >= sketch[k]) {
      return 1;
    }
    int first = lowerBound(sketch, 0, sketch.length, x);
    if (first <= k && sketch[first] == x) {
      if (below) {
        return (double) first / k;
      }
      int last = first;
      while (last < k && sketch[last + 1] == x) {
        last++;
      }
      return (double) last / k;
    }
    // sketch[first - 1] < x < sketch[first]
    double from = sketch[first - 1];
    double to = sketch[first];
    return (first - 1 + (x - from) / (to - from)) / k;
  }

  /** Counts one served value; {@code NaN} is a missing value. */
  public void accept(double x) {
    count++;
    if (x != x) {
      missing++;
      return;
    }
    int d = edges.length;
    if (d == 0) {
      return;
    }
    if (x < low) {
      slots[0]++;
      belowDistance += low - x;
      return;
    }
    if (x > high) {
      slots[2 * d]++;
      aboveDistance += x - high;
      return;
    }
    slots[slot(edges, cellStart, low, cellScale, lastCell, x)]++;
  }

  /**
   * Counts every value of a column: as {@link #accept} value by value, with the state in locals
   * (the tail sums add up in the same order, so they are the same doubles).
   */
  public void acceptAll(double[] column) {
    double[] edges = this.edges;
    int d = edges.length;
    long missed = 0;
    if (d == 0) {
      for (double x : column) {
        if (x != x) {
          missed++;
        }
      }
      count += column.length;
      missing += missed;
      return;
    }
    char[] cellStart = this.cellStart;
    long[] slots = this.slots;
    double low = this.low;
    double high = this.high;
    double cellScale = this.cellScale;
    int lastCell = this.lastCell;
    double below = belowDistance;
    double above = aboveDistance;
    for (double x : column) {
      if (x >= low && x <= high) {
        slots[slot(edges, cellStart, low, cellScale, lastCell, x)]++;
      } else if (x < low) {
        slots[0]++;
        below += low - x;
      } else if (x > high) {
        slots[2 * d]++;
        above += x - high;
      } else {
        missed++;
      }
    }
    count += column.length;
    missing += missed;
    belowDistance = below;
    aboveDistance = above;
  }

  /**
   * The slot of {@code low <= x <= high}: {@code 2j + 1} on edge {@code j}, else {@code 2j}, with
   * {@code j} the number of edges below {@code x} found in {@code x}'s grid cell. Up to {@link
   * #STEPS} edges in the cell are passed by comparisons that only add 0 or 1, which the compiler
   * can turn into conditional moves rather than loop branches (they never pass {@code j}: {@code
   * edges[j] >= x} stops them, and {@code j <= d - 1} since {@code edges[d - 1] = high >= x});
   * fuller cells are binary-searched.
   */
  private static int slot(
      double[] edges, char[] cellStart, double low, double scale, int lastCell, double x) {
    if (cellStart == null) {
      int j = lowerBound(edges, 0, edges.length, x);
      return 2 * j + (edges[j] == x ? 1 : 0);
    }
    int c = cell(x, low, scale, lastCell);
    int j = cellStart[c];
    int end = cellStart[c + 1];
    if (end - j <= STEPS) {
      j += edges[j] < x ? 1 : 0;
      j += edges[j] < x ? 1 : 0;
      j += edges[j] < x ? 1 : 0;
    } else {
      j = lowerBound(edges, j, end, x);
    }
    return 2 * j + (edges[j] == x ? 1 : 0);
  }

  /** First index in {@code [from, to)} with {@code a[i] >= x}, or {@code to}. */
  private static int lowerBound(double[] a, int from, int to, double x) {
    int lo = from;
    int hi = to;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (a[mid] < x) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** A copy of the slot counts, for tests: see the field {@code slots}. */
  long[] slotCounts() {
    return slots.clone();
  }

  /** The distinct edges, for tests. */
  double[] edges() {
    return edges.clone();
  }

  /** Sums of the distances below the smallest and above the largest edge, for tests. */
  double[] tailDistances() {
    return new double[] {belowDistance, aboveDistance};
  }

  /**
   * Drift of one numeric feature over a window.
   *
   * @param count values seen, missing included
   * @param missing missing values ({@code NaN})
   * @param missingRate {@code missing / count}; NaN for an empty window
   * @param referenceMissingRate the training missing rate
   * @param psi PSI over the reference decile bins ({@link DriftStatistics#psi}); NaN when either
   *     side has no present values
   * @param ksStatistic two-sample KS statistic against the training values, within {@code
   *     ksErrorBound} of the exact one
   * @param ksPValue {@link DriftStatistics#ksPValue} of the statistic for the training and window
   *     sizes
   * @param ksErrorBound {@code 2/k + 1/N}: how far {@code ksStatistic} can be from the exact
   *     two-sample statistic ({@code k} sketch intervals, {@code N} training values)
   * @param jensenShannon Jensen-Shannon distance (bits) over the decile bins
   * @param wasserstein Wasserstein-1 distance to the training values, in the feature's units
   * @param wassersteinErrorBound how far {@code wasserstein} can be from the exact distance
   * @param sketchIntervals {@code k}: 1,000 with the sketch, 10 when only deciles were stored, 0
   *     without reference values
   * @param binEdges the 11 reference deciles bounding the 10 bins (the first and last bins also
   *     take values outside)
   * @param referenceShares training share of present values per bin
   * @param currentShares window share of present values per bin (zeros when none)
   */
  public record Result(
      long count,
      long missing,
      double missingRate,
      double referenceMissingRate,
      double psi,
      double ksStatistic,
      double ksPValue,
      double ksErrorBound,
      double jensenShannon,
      double wasserstein,
      double wassersteinErrorBound,
      int sketchIntervals,
      double[] binEdges,
      double[] referenceShares,
      double[] currentShares) {

    /** Values present (not missing) in the window. */
    public long present() {
      return count - missing;
    }

    /**
     * True when there is nothing to compare: no present values in the window or in the reference.
     * The distribution statistics are then NaN.
     */
    public boolean incomparable() {
      return Double.isNaN(ksStatistic);
    }
  }

  /** The statistics so far; the accumulator can keep accepting values afterwards. */
  public Result result() {
    long present = count - missing;
    double missingRate = count == 0 ? Double.NaN : (double) missing / count;
    double[] binEdges =
        reference.quantiles() == null ? new double[0] : reference.quantiles().clone();
    int bins = Math.max(0, binEdges.length - 1);
    double[] referenceShares = new double[bins];
    long[] histogram = reference.histogram();
    for (int b = 0; b < bins && histogram != null && reference.count() > 0; b++) {
      referenceShares[b] = (double) histogram[b] / reference.count();
    }
    double[] currentShares = new double[bins];
    int d = edges.length;
    if (present == 0 || d == 0) {
      return new Result(
          count,
          missing,
          missingRate,
          reference.missingRate(),
          Double.NaN,
          Double.NaN,
          Double.NaN,
          Double.NaN,
          Double.NaN,
          Double.NaN,
          Double.NaN,
          sketchIntervals,
          binEdges,
          referenceShares,
          currentShares);
    }
    double m = present;
    // Counts per bin first: shares summed slot by slot would round, and two identical samples
    // would then differ by the rounding (a Jensen-Shannon distance of about 1e-8).
    double[] currentCounts = new double[bins];
    for (int s = 0; s < slots.length; s++) {
      currentCounts[slotBin[s]] += slots[s];
    }
    double[] referenceCounts = new double[bins];
    for (int b = 0; b < bins; b++) {
      currentShares[b] = currentCounts[b] / m;
      referenceCounts[b] = histogram == null ? 0 : histogram[b];
    }
    double k = sketchIntervals;
    double n = reference.count();
    double slack = 1 / k + 1 / n;

    double ks = 0;
    double wasserstein = (belowDistance + aboveDistance) / m;
    double wassersteinBound = 0;
    long cumulative = 0;
    double previousGap = 0;
    for (int j = 0; j < d; j++) {
      long between = slots[2 * j];
      cumulative += between;
      double currentBelow = cumulative / m;
      double gapBelow = referenceBelow[j] - currentBelow;
      if (j > 0) {
        double width = edges[j] - edges[j - 1];
        wasserstein += width * integralOfAbsoluteLinear(previousGap, gapBelow);
        wassersteinBound += width * (between / m / 2 + slack);
      }
      cumulative += slots[2 * j + 1];
      double currentAt = cumulative / m;
      double gapAt = referenceAt[j] - currentAt;
      ks = Math.max(ks, Math.max(Math.abs(gapBelow), Math.abs(gapAt)));
      previousGap = gapAt;
    }
    return new Result(
        count,
        missing,
        missingRate,
        reference.missingRate(),
        DriftStatistics.psi(referenceShares, currentShares),
        ks,
        DriftStatistics.ksPValue(ks, reference.count(), present),
        2 / k + 1 / n,
        DriftStatistics.jensenShannon(referenceCounts, currentCounts),
        wasserstein,
        wassersteinBound,
        sketchIntervals,
        binEdges,
        referenceShares,
        currentShares);
  }

  /** {@code integral_0^1 |a + (b - a) t| dt}: the mean absolute value of a linear function. */
  static double integralOfAbsoluteLinear(double a, double b) {
    if (a * b >= 0) {
      return (Math.abs(a) + Math.abs(b)) / 2;
    }
    // Sign change: two triangles meeting at the root.
    return (a * a + b * b) / (2 * (Math.abs(a) + Math.abs(b)));
  }
}
