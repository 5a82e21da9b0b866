package dev.perennial.core.model;

import dev.perennial.core.data.FeatureSchema;
import dev.perennial.core.data.FeatureSpec;
import dev.perennial.core.data.FeatureType;
import dev.perennial.core.data.Table;
import java.io.Serial;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
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
        double[] present = Arrays.stream(column).filter(v -> !Double.isNaN(v)).sorted().toArray();
        median[j] = present.length == 0 ? 0 : quantileSorted(present, 0.5);
        missingIndicator[j] = present.length < column.length;
        double sum = 0;
        double sq = 0;
        for (double v : column) {
          double x = Double.isNaN(v) ? median[j] : v;
          sum += x;
          sq += x * x;
        }
        mean[j] = column.length == 0 ? 0 : sum / column.length;
        double var = column.length == 0 ? 0 : sq / column.length - mean[j] * mean[j];
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

  /** Encodes every row of a table. */
  public double[][] encode(Table table) {
    int[] column = columnsOf(table);
    double[][] x = new double[table.rows()][names.length];
    for (int i = 0; i < table.rows(); i++) {
      int k = 0;
      for (int j = 0; j < features.length; j++) {
        int c = column[j];
        if (numeric[j]) {
          double v = c < 0 || table.numeric(c) == null ? Double.NaN : table.numeric(c)[i];
          k = putNumeric(x[i], k, j, v);
        } else {
          String v = c < 0 || table.categorical(c) == null ? null : table.categorical(c)[i];
          k = putCategorical(x[i], k, j, v);
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
