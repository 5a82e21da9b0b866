package dev.perennial.core.model;

import dev.perennial.core.data.FeatureSchema;
import dev.perennial.core.data.FeatureSpec;
import dev.perennial.core.data.FeatureType;
import dev.perennial.core.data.Table;
import java.io.Serial;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns rows into the numbers a Smile model takes, fitted on the training rows and stored with the
 * model so serving encodes exactly as training did.
 *
 * <ul>
 *   <li>Numeric: missing values become the training median; features that had missing values in
 *       training get an extra 0/1 "was missing" column. For linear models, standardised.
 *   <li>Categorical, for trees: one code per known category, one more for unknown or missing.
 *   <li>Categorical, for linear models: one-hot over the known categories (unknown = all zeros).
 * </ul>
 *
 * Columns are found by name, so rows with extra or reordered columns encode the same; a column
 * absent from the rows counts as missing.
 */
public final class FeatureEncoder implements Serializable {
  @Serial private static final long serialVersionUID = 1L;

  private final boolean linear;
  private final String[] features;
  private final boolean[] numeric;
  private final double[] median;
  private final boolean[] missingIndicator;
  private final double[] mean;
  private final double[] scale;
  private final String[][] categories;
  private final String[] names;

  private FeatureEncoder(
      boolean linear,
      String[] features,
      boolean[] numeric,
      double[] median,
      boolean[] missingIndicator,
      double[] mean,
      double[] scale,
      String[][] categories) {
    this.linear = linear;
    this.features = features;
    this.numeric = numeric;
    this.median = median;
    this.missingIndicator = missingIndicator;
    this.mean = mean;
    this.scale = scale;
    this.categories = categories;
    List<String> n = new ArrayList<>();
    for (int j = 0; j < features.length; j++) {
      if (numeric[j]) {
        n.add(features[j]);
        if (missingIndicator[j]) {
          n.add(features[j] + "__missing");
        }
      } else if (linear) {
        for (String c : categories[j]) {
          n.add(features[j] + "=" + c);
        }
      } else {
        n.add(features[j]);
      }
    }
    this.names = n.toArray(new String[0]);
  }

  /**
   * Fits on training rows.
   *
   * @param linear one-hot and standardised (logistic regression) instead of codes (trees)
   */
  public static FeatureEncoder fit(Table table, boolean linear) {
    return fit(table, null, linear);
  }

  /**
   * Fits on the rows of {@code table} at the indices {@code rows} (ascending; null: every row), as
   * {@code fit(table.select(rows), linear)} would without the copy.
   */
  public static FeatureEncoder fit(Table table, int[] rows, boolean linear) {
    return fit(table, rows, linear, SortedColumns.of(table, rows));
  }

  /**
   * Like {@link #fit(Table, int[], boolean)}, the medians taken from {@code sorted}, the same rows'
   * columns sorted (which the reference profile's quantiles may come from too).
   */
  public static FeatureEncoder fit(Table table, int[] rows, boolean linear, SortedColumns sorted) {
    if (!sorted.areOf(table, rows)) {
      throw new IllegalArgumentException("the sorted columns are of other rows");
    }
    FeatureSchema schema = table.schema();
    int n = schema.features().size();
    String[] features = new String[n];
    boolean[] numeric = new boolean[n];
    double[] median = new double[n];
    boolean[] missingIndicator = new boolean[n];
    double[] mean = new double[n];
    double[] scale = new double[n];
    String[][] categories = new String[n][];
    for (int j = 0; j < n; j++) {
      FeatureSpec f = schema.features().get(j);
      features[j] = f.name();
      numeric[j] = f.type() == FeatureType.NUMERIC;
      if (numeric[j]) {
        double[] column = table.numeric(j);
        int count = rows == null ? column.length : rows.length;
        double[] present = sorted.present(j);
        median[j] = present.length == 0 ? 0 : quantileSorted(present, 0.5);
        missingIndicator[j] = present.length < count;
        double sum = 0;
        double sq = 0;
        for (int i = 0; i < count; i++) {
          double v = column[rows == null ? i : rows[i]];
          double x = Double.isNaN(v) ? median[j] : v;
          sum += x;
          sq += x * x;
        }
        mean[j] = count == 0 ? 0 : sum / count;
        double var = count == 0 ? 0 : sq / count - mean[j] * mean[j];
        scale[j] = var > 1e-12 ? Math.sqrt(var) : 1;
      } else {
        categories[j] = f.categories().toArray(new String[0]);
      }
    }
    return new FeatureEncoder(
        linear, features, numeric, median, missingIndicator, mean, scale, categories);
  }

  /** Names of the encoded columns. */
  public String[] names() {
    return names.clone();
  }

  /**
   * Encodes the rows of {@code table} at the indices {@code rows} (null: every row) by column:
   * {@code result[k][i]} is encoded column {@code k} ({@link #names()}) of the {@code i}-th of
   * those rows, the same values {@code encode(table.select(rows))} gives row by row.
   */
  public double[][] encodeColumns(Table table, int[] rows) {
    int[] column = columnsOf(table);
    int n = rows == null ? table.rows() : rows.length;
    double[][] x = new double[names.length][];
    int k = 0;
    for (int j = 0; j < features.length; j++) {
      int c = column[j];
      if (numeric[j]) {
        double[] values = c < 0 ? null : table.numeric(c);
        double[] out = new double[n];
        double[] missing = missingIndicator[j] ? new double[n] : null;
        for (int i = 0; i < n; i++) {
          double v = values == null ? Double.NaN : values[rows == null ? i : rows[i]];
          boolean absent = Double.isNaN(v);
          double value = absent ? median[j] : v;
          out[i] = linear ? (value - mean[j]) / scale[j] : value;
          if (missing != null) {
            missing[i] = absent ? 1 : 0;
          }
        }
        x[k++] = out;
        if (missing != null) {
          x[k++] = missing;
        }
      } else {
        String[] values = c < 0 ? null : table.categorical(c);
        int[] codes = codes(values, rows, n, categories[j]);
        int known = categories[j].length;
        if (linear) {
          for (int code = 0; code < known; code++) {
            double[] out = new double[n];
            for (int i = 0; i < n; i++) {
              out[i] = codes[i] == code ? 1 : 0;
            }
            x[k++] = out;
          }
        } else {
          double[] out = new double[n];
          for (int i = 0; i < n; i++) {
            out[i] = codes[i];
          }
          x[k++] = out;
        }
      }
    }
    return x;
  }

  /**
   * Each row's category code ({@code known.length} for unknown or missing), looking each distinct
   * string up once: the reader hands equal cells as one instance, so most rows hit the identity
   * cache.
   */
  private static int[] codes(String[] values, int[] rows, int n, String[] known) {
    int[] codes = new int[n];
    java.util.IdentityHashMap<String, Integer> seen = new java.util.IdentityHashMap<>();
    for (int i = 0; i < n; i++) {
      String v = values == null ? null : values[rows == null ? i : rows[i]];
      if (v == null) {
        codes[i] = known.length;
        continue;
      }
      Integer code = seen.get(v);
      if (code == null) {
        code = known.length;
        for (int c = 0; c < known.length; c++) {
          if (known[c].equals(v)) {
            code = c;
            break;
          }
        }
        if (seen.size() < 4096) {
          seen.put(v, code);
        }
      }
      codes[i] = code;
    }
    return codes;
  }

  private static double[] gather(double[] column, int[] rows) {
    if (rows == null) {
      return column;
    }
    double[] out = new double[rows.length];
    for (int i = 0; i < rows.length; i++) {
      out[i] = column[rows[i]];
    }
    return out;
  }

  /** Encodes every row of a table. */
  public double[][] encode(Table table) {
    return encode(table, null);
  }

  /** Encodes the rows of {@code table} at the indices {@code rows} (null: every row), by row. */
  public double[][] encode(Table table, int[] rows) {
    int[] column = columnsOf(table);
    int n = rows == null ? table.rows() : rows.length;
    double[][] x = new double[n][names.length];
    for (int r = 0; r < n; r++) {
      int i = rows == null ? r : rows[r];
      int k = 0;
      for (int j = 0; j < features.length; j++) {
        int c = column[j];
        if (numeric[j]) {
          double v = c < 0 || table.numeric(c) == null ? Double.NaN : table.numeric(c)[i];
          k = putNumeric(x[r], k, j, v);
        } else {
          String v = c < 0 || table.categorical(c) == null ? null : table.categorical(c)[i];
          k = putCategorical(x[r], k, j, v);
        }
      }
    }
    return x;
  }

  /** Encodes one row given as column name to value (numbers, numeric strings or categories). */
  public double[] encode(Map<String, ?> row) {
    double[] x = new double[names.length];
    int k = 0;
    for (int j = 0; j < features.length; j++) {
      Object v = row.get(features[j]);
      if (numeric[j]) {
        double d =
            v == null || (v instanceof String s && s.isBlank())
                ? Double.NaN
                : v instanceof Number num ? num.doubleValue() : Double.parseDouble(v.toString());
        k = putNumeric(x, k, j, d);
      } else {
        k = putCategorical(x, k, j, v == null ? null : v.toString());
      }
    }
    return x;
  }

  private int putNumeric(double[] x, int k, int j, double v) {
    boolean missing = Double.isNaN(v);
    double value = missing ? median[j] : v;
    x[k++] = linear ? (value - mean[j]) / scale[j] : value;
    if (missingIndicator[j]) {
      x[k++] = missing ? 1 : 0;
    }
    return k;
  }

  private int putCategorical(double[] x, int k, int j, String v) {
    String[] known = categories[j];
    int code = known.length;
    if (v != null) {
      for (int c = 0; c < known.length; c++) {
        if (known[c].equals(v)) {
          code = c;
          break;
        }
      }
    }
    if (linear) {
      if (code < known.length) {
        x[k + code] = 1;
      }
      return k + known.length;
    }
    x[k] = code;
    return k + 1;
  }

  private int[] columnsOf(Table table) {
    List<String> present = table.schema().features().stream().map(FeatureSpec::name).toList();
    int[] column = new int[features.length];
    for (int j = 0; j < features.length; j++) {
      column[j] = present.indexOf(features[j]);
    }
    return column;
  }

  /** Linear-interpolated quantile of sorted values. */
  static double quantileSorted(double[] sorted, double q) {
    if (sorted.length == 1) {
      return sorted[0];
    }
    double pos = q * (sorted.length - 1);
    int lo = (int) Math.floor(pos);
    int hi = Math.min(lo + 1, sorted.length - 1);
    return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
  }
}
