package dev.perennial.activities.drift;

import dev.perennial.core.model.ReferenceProfile;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Streams one categorical feature of a window of served rows and compares it with the training
 * reference. Memory is one counter per category of the reference plus at most {@link
 * #UNSEEN_NAMES_CAP} names of unseen categories, whatever the number of rows.
 *
 * <p>The categories compared are the reference's, {@value ReferenceProfile#MISSING} and {@value
 * ReferenceProfile#UNKNOWN} included: a served {@code null} counts as missing, a value the
 * reference does not know (or one spelled like the reserved {@code "__...__"} names) as unknown. A
 * shift in how often a value is missing or unknown is drift like any other.
 *
 * <p>Not thread-safe: one accumulator per feature per scanning thread.
 */
public final class CategoricalDrift {
  /** Unseen category names kept for the report; the rest are only counted. */
  public static final int UNSEEN_NAMES_CAP = 20;

  private final List<String> categories;
  private final long[] referenceCounts;
  private final double[] referenceShares;
  private final Map<String, Integer> index;
  private final int missingSlot;
  private final int unknownSlot;
  private final long[] counts;
  private final Map<String, long[]> unseen = new LinkedHashMap<>();
  private boolean unseenTruncated;
  private final long referenceRowsProfiled;
  private long count;

  /**
   * An accumulator comparing against {@code reference}, profiled over {@code referenceRows} rows
   * ({@link ReferenceProfile#rows()}): the chi-square test needs counts, and the profile keeps
   * shares of that many rows.
   */
  public CategoricalDrift(ReferenceProfile.CategoricalProfile reference, long referenceRows) {
    if (referenceRows < 0) {
      throw new IllegalArgumentException("negative reference rows: " + referenceRows);
    }
    List<String> names = new ArrayList<>();
    for (String c : reference.frequencies().keySet()) {
      if (!c.equals(ReferenceProfile.MISSING) && !c.equals(ReferenceProfile.UNKNOWN)) {
        names.add(c);
      }
    }
    names.add(ReferenceProfile.MISSING);
    names.add(ReferenceProfile.UNKNOWN);
    categories = List.copyOf(names);
    int k = categories.size();
    missingSlot = k - 2;
    unknownSlot = k - 1;
    index = new HashMap<>(2 * k);
    referenceCounts = new long[k];
    referenceShares = new double[k];
    for (int i = 0; i < k; i++) {
      String c = categories.get(i);
      if (i < missingSlot && !c.startsWith("__")) {
        index.put(c, i);
      }
      Double share = reference.frequencies().get(c);
      referenceShares[i] = share == null ? 0 : share;
      // Shares were counts / rows, so this recovers the counts.
      referenceCounts[i] = Math.round(referenceShares[i] * referenceRows);
    }
    counts = new long[k];
    referenceRowsProfiled = referenceRows;
  }

  /** Counts one served value; {@code null} is a missing value. */
  public void accept(String value) {
    count++;
    if (value == null) {
      counts[missingSlot]++;
      return;
    }
    Integer slot = index.get(value);
    if (slot != null) {
      counts[slot]++;
      return;
    }
    counts[unknownSlot]++;
    long[] seen = unseen.get(value);
    if (seen != null) {
      seen[0]++;
    } else if (unseen.size() < UNSEEN_NAMES_CAP) {
      unseen.put(value, new long[] {1});
    } else {
      unseenTruncated = true;
    }
  }

  /** Counts every value of a column. */
  public void acceptAll(String[] column) {
    for (String v : column) {
      accept(v);
    }
  }

  /**
   * Drift of one categorical feature over a window.
   *
   * @param count values seen, missing included
   * @param missingRate share of {@code null} values; NaN for an empty window
   * @param chiSquare homogeneity test of the window's counts against the training counts over the
   *     categories below ({@link DriftStatistics#chiSquare}); NaN statistic and p for an empty
   *     window or reference
   * @param psi PSI over the categories' shares; NaN for an empty window or reference
   * @param jensenShannon Jensen-Shannon distance (bits) over the categories; NaN for an empty
   *     window or reference
   * @param categories the reference's categories, then {@code "__missing__"} and {@code
   *     "__unknown__"}
   * @param referenceShares training share per category (of all rows)
   * @param currentShares window share per category (of all values; zeros when empty)
   * @param unseen counts of the first {@value #UNSEEN_NAMES_CAP} distinct unseen values by name, in
   *     order of first appearance (all of them are in the {@code "__unknown__"} count)
   * @param unseenTruncated true when more distinct unseen values came than {@code unseen} lists
   */
  public record Result(
      long count,
      double missingRate,
      DriftStatistics.ChiSquare chiSquare,
      double psi,
      double jensenShannon,
      List<String> categories,
      double[] referenceShares,
      double[] currentShares,
      Map<String, Long> unseen,
      boolean unseenTruncated) {

    /** True when the window had no values at all: the statistics are then NaN. */
    public boolean empty() {
      return count == 0;
    }
  }

  /** The statistics so far; the accumulator can keep accepting values afterwards. */
  public Result result() {
    int k = categories.size();
    double[] currentShares = new double[k];
    for (int i = 0; i < k && count > 0; i++) {
      currentShares[i] = (double) counts[i] / count;
    }
    Map<String, Long> names = new LinkedHashMap<>();
    unseen.forEach((name, c) -> names.put(name, c[0]));
    return new Result(
        count,
        count == 0 ? Double.NaN : (double) counts[missingSlot] / count,
        DriftStatistics.chiSquare(referenceCounts, counts.clone()),
        count == 0 || referenceRowsProfiled == 0
            ? Double.NaN
            : DriftStatistics.psi(referenceShares, currentShares),
        DriftStatistics.jensenShannon(asDoubles(referenceCounts), asDoubles(counts)),
        categories,
        referenceShares.clone(),
        currentShares,
        Collections.unmodifiableMap(names),
        unseenTruncated);
  }

  private static double[] asDoubles(long[] counts) {
    double[] d = new double[counts.length];
    for (int i = 0; i < counts.length; i++) {
      d[i] = counts[i];
    }
    return d;
  }
}
