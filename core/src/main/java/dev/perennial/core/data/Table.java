package dev.perennial.core.data;

import java.util.Arrays;
import java.util.Objects;

/**
 * Rows of a dataset held by column, as training and evaluation need them: numeric features as
 * {@code double[]} with {@code NaN} for missing, categorical features as {@code String[]} with
 * {@code null} for missing, the label as {@code int[]} of 0/1 and each row's partition day.
 *
 * <p>Column {@code j} is {@code schema.features().get(j)}: {@link #numeric(int)} is set for numeric
 * columns, {@link #categorical(int)} for categorical ones.
 */
public final class Table {
  private final FeatureSchema schema;
  private final double[][] numeric;
  private final String[][] categorical;
  private final int[] label;
  private final String[] day;

  public Table(
      FeatureSchema schema, double[][] numeric, String[][] categorical, int[] label, String[] day) {
    this.schema = Objects.requireNonNull(schema);
    this.numeric = numeric;
    this.categorical = categorical;
    this.label = label;
    this.day = day;
    int n = schema.features().size();
    if (numeric.length != n || categorical.length != n) {
      throw new IllegalArgumentException("one column array per feature expected");
    }
    for (int j = 0; j < n; j++) {
      int len = numeric[j] != null ? numeric[j].length : categorical[j].length;
      if (len != label.length || day.length != label.length) {
        throw new IllegalArgumentException(
            "column " + j + " has " + len + " rows, label has " + label.length);
      }
    }
  }

  public FeatureSchema schema() {
    return schema;
  }

  public int rows() {
    return label.length;
  }

  /** Numeric column {@code j} (NaN = missing), or null when column j is categorical. */
  public double[] numeric(int j) {
    return numeric[j];
  }

  /** Categorical column {@code j} (null = missing), or null when column j is numeric. */
  public String[] categorical(int j) {
    return categorical[j];
  }

  public int[] label() {
    return label;
  }

  /** The labels of the rows at the given indices, in that order (null: every row's, not copied). */
  public int[] label(int[] rows) {
    if (rows == null) {
      return label;
    }
    int[] y = new int[rows.length];
    for (int i = 0; i < rows.length; i++) {
      y[i] = label[rows[i]];
    }
    return y;
  }

  public String[] day() {
    return day;
  }

  /** The rows at the given indices, in that order. */
  public Table select(int[] rows) {
    int n = schema.features().size();
    double[][] num = new double[n][];
    String[][] cat = new String[n][];
    for (int j = 0; j < n; j++) {
      if (numeric[j] != null) {
        double[] src = numeric[j];
        double[] dst = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
          dst[i] = src[rows[i]];
        }
        num[j] = dst;
      } else {
        String[] src = categorical[j];
        String[] dst = new String[rows.length];
        for (int i = 0; i < rows.length; i++) {
          dst[i] = src[rows[i]];
        }
        cat[j] = dst;
      }
    }
    int[] y = new int[rows.length];
    String[] d = new String[rows.length];
    for (int i = 0; i < rows.length; i++) {
      y[i] = label[rows[i]];
      d[i] = day[rows[i]];
    }
    return new Table(schema, num, cat, y, d);
  }

  @Override
  public String toString() {
    return "Table["
        + rows()
        + " rows x "
        + schema.features().size()
        + " features, days "
        + Arrays.stream(day).distinct().count()
        + "]";
  }
}
