package dev.perennial.core.model;

import dev.perennial.core.data.FeatureSpec;
import dev.perennial.core.data.FeatureType;
import dev.perennial.core.data.Table;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the training rows looked like, per feature: the reference drift detection compares served
 * traffic against.
 *
 * @param rows training rows profiled
 * @param numeric per numeric feature
 * @param categorical per categorical feature
 */
public record ReferenceProfile(
    long rows, Map<String, NumericProfile> numeric, Map<String, CategoricalProfile> categorical) {

  /**
   * @param count values present
   * @param missingRate share of rows without a value
   * @param mean mean of present values
   * @param std population standard deviation of present values
   * @param min smallest value
   * @param max largest value
   * @param quantiles deciles: 0 %, 10 %, ..., 100 % (11 values)
   * @param histogram counts of present values per decile bin (10 bins; a value equal to an inner
   *     edge falls in the upper bin, the maximum in the last)
   * @param sketch 1,001 evenly spaced quantiles: 0, 1/1000, ..., 1 ({@code SKETCH_INTERVALS} + 1
   *     values), computed like the deciles. Drift detection compares served values against it for
   *     KS and Wasserstein without keeping training rows. Null in profiles written before it
   *     existed; readers then fall back to the deciles, which bound the KS statistic only to within
   *     about 2/10 instead of 2/1000 (see {@code NumericDrift}).
   */
  public record NumericProfile(
      long count,
      double missingRate,
      double mean,
      double std,
      double min,
      double max,
      double[] quantiles,
      long[] histogram,
      double[] sketch) {}

  /**
   * @param frequencies share of rows per category, including {@code "__missing__"} and {@code
   *     "__unknown__"} (values not in the schema)
   */
  public record CategoricalProfile(Map<String, Double> frequencies) {}

  public static final String MISSING = "__missing__";
  public static final String UNKNOWN = "__unknown__";

  /**
   * Intervals of the numeric quantile sketch: 1,000 keeps the sketch small (8 KB in memory, about
   * 20 KB of JSON per feature) while bounding the streaming KS statistic's error to about 0.002.
   */
  public static final int SKETCH_INTERVALS = 1000;

  /** Profiles every feature of the table. */
  public static ReferenceProfile of(Table table) {
    return of(table, null);
  }

  /**
   * Profiles every feature of the rows of {@code table} at the indices {@code rows} (null: every
   * row), as {@code of(table.select(rows))} would, one column's copy at a time.
   */
  public static ReferenceProfile of(Table table, int[] rows) {
    return of(table, rows, SortedColumns.of(table, rows));
  }

  /**
   * Like {@link #of(Table, int[])}, the numeric columns' quantiles taken from {@code sorted}, the
   * same rows' columns sorted (which the encoder's medians may come from too).
   */
  public static ReferenceProfile of(Table table, int[] rows, SortedColumns sorted) {
    if (!sorted.areOf(table, rows)) {
      throw new IllegalArgumentException("the sorted columns are of other rows");
    }
    Map<String, NumericProfile> numeric = new LinkedHashMap<>();
    Map<String, CategoricalProfile> categorical = new LinkedHashMap<>();
    List<FeatureSpec> features = table.schema().features();
    for (int j = 0; j < features.size(); j++) {
      FeatureSpec f = features.get(j);
      if (f.type() == FeatureType.NUMERIC) {
        try {
          int n = rows == null ? table.rows() : rows.length;
          numeric.put(f.name(), numeric(n, sorted.present(j)));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("column '" + f.name() + "': " + e.getMessage(), e);
        }
      } else {
        categorical.put(f.name(), categorical(gather(table.categorical(j), rows), f.categories()));
      }
    }
    return new ReferenceProfile(rows == null ? table.rows() : rows.length, numeric, categorical);
  }

  private static String[] gather(String[] column, int[] rows) {
    if (rows == null) {
      return column;
    }
    String[] out = new String[rows.length];
    for (int i = 0; i < rows.length; i++) {
      out[i] = column[rows[i]];
    }
    return out;
  }

  /**
   * Profiles one numeric column ({@code NaN} = missing).
   *
   * @throws IllegalArgumentException on an infinite value: its deciles would be infinite or NaN and
   *     drift detection could not compare against them
   */
  public static NumericProfile numeric(double[] column) {
    return numeric(column.length, SortedColumns.sortedPresent(column, null));
  }

  /** Profiles a numeric column of {@code rows} rows whose present values, sorted, are {@code v}. */
  private static NumericProfile numeric(int rows, double[] v) {
    long infinite = Arrays.stream(v).filter(Double::isInfinite).count();
    if (infinite > 0) {
      throw new IllegalArgumentException(
          infinite + " of " + rows + " values are infinite, which has no quantiles");
    }
    double missingRate = rows == 0 ? 0 : 1 - (double) v.length / rows;
    if (v.length == 0) {
      return new NumericProfile(
          0,
          missingRate,
          Double.NaN,
          Double.NaN,
          Double.NaN,
          Double.NaN,
          new double[0],
          new long[0],
          new double[0]);
    }
    double mean = Arrays.stream(v).average().orElse(Double.NaN);
    double var = Arrays.stream(v).map(x -> (x - mean) * (x - mean)).sum() / v.length;
    double[] q = new double[11];
    for (int k = 0; k <= 10; k++) {
      q[k] = FeatureEncoder.quantileSorted(v, k / 10.0);
    }
    long[] histogram = new long[10];
    for (double x : v) {
      histogram[bin(q, x)]++;
    }
    // i / 1000.0 and k / 10.0 are the same double when i = 100 k, so the deciles are sketch points.
    double[] sketch = new double[SKETCH_INTERVALS + 1];
    for (int i = 0; i <= SKETCH_INTERVALS; i++) {
      sketch[i] = FeatureEncoder.quantileSorted(v, (double) i / SKETCH_INTERVALS);
    }
    return new NumericProfile(
        v.length, missingRate, mean, Math.sqrt(var), v[0], v[v.length - 1], q, histogram, sketch);
  }

  /**
   * The decile bin of {@code x}: the last inner edge at or below it; values outside go to the ends.
   * Drift detection bins served values the same way.
   */
  public static int bin(double[] edges, double x) {
    int b = 0;
    for (int k = 1; k < edges.length - 1; k++) {
      if (x >= edges[k]) {
        b = k;
      }
    }
    return b;
  }

  /** Profiles one categorical column ({@code null} = missing) with the schema's categories. */
  public static CategoricalProfile categorical(String[] column, List<String> known) {
    Map<String, Double> f = new LinkedHashMap<>();
    for (String c : known) {
      f.put(c, 0.0);
    }
    f.put(MISSING, 0.0);
    f.put(UNKNOWN, 0.0);
    double unit = column.length == 0 ? 0 : 1.0 / column.length;
    for (String v : column) {
      String k = v == null ? MISSING : f.containsKey(v) && !v.startsWith("__") ? v : UNKNOWN;
      f.merge(k, unit, Double::sum);
    }
    return new CategoricalProfile(f);
  }
}
