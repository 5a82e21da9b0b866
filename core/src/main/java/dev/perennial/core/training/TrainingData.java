package dev.perennial.core.training;

import java.util.Objects;

/**
 * Encoded training rows. Perennial hands a trainer its rows by column ({@link #column(int)}: one
 * {@code double[]} per encoded column), which is how they are encoded and how column learners
 * (Smile's trees, XGBoost's matrix) take them without a copy; {@link #x()} gives them as one array
 * per row for learners that take rows, made once on first use.
 *
 * <p>Column {@code j} is named {@code names()[j]} (for categories one-hot, {@code
 * feature=category}); {@link #seed()} is the run's seed, with which Smile's generator on the
 * fitting thread is already seeded.
 */
public final class TrainingData {
  private final double[][] columns;
  private final int[] y;
  private final String[] names;
  private final long seed;
  private volatile double[][] rows;

  /**
   * From rows.
   *
   * @param x one row per example, columns as {@code names}
   * @param y label per row, 0 or 1
   */
  public TrainingData(double[][] x, int[] y, String[] names, long seed) {
    this(null, x, y, names, seed);
  }

  private TrainingData(double[][] columns, double[][] rows, int[] y, String[] names, long seed) {
    this.y = Objects.requireNonNull(y, "y");
    this.names = Objects.requireNonNull(names, "names");
    this.seed = seed;
    this.rows = rows;
    this.columns = columns != null ? columns : transpose(rows, names.length);
    for (int j = 0; j < this.columns.length; j++) {
      if (this.columns[j].length != y.length) {
        throw new IllegalArgumentException(
            "column " + names[j] + " has " + this.columns[j].length + " rows, y has " + y.length);
      }
    }
    if (this.columns.length != names.length) {
      throw new IllegalArgumentException(
          this.columns.length + " columns but " + names.length + " names");
    }
  }

  /**
   * From columns: {@code columns[j][i]} is row {@code i}'s value of column {@code names[j]}. The
   * arrays are taken as they are, not copied.
   */
  public static TrainingData ofColumns(double[][] columns, int[] y, String[] names, long seed) {
    return new TrainingData(Objects.requireNonNull(columns, "columns"), null, y, names, seed);
  }

  /** The number of rows. */
  public int rows() {
    return y.length;
  }

  /** Column {@code j}'s values, one per row: the array itself, not a copy. */
  public double[] column(int j) {
    return columns[j];
  }

  /**
   * One array per row, columns as {@link #names()}: made from the columns on the first call (a copy
   * of every value), the same arrays after.
   */
  public double[][] x() {
    double[][] x = rows;
    if (x == null) {
      synchronized (this) {
        x = rows;
        if (x == null) {
          x = new double[y.length][columns.length];
          for (int j = 0; j < columns.length; j++) {
            double[] c = columns[j];
            for (int i = 0; i < c.length; i++) {
              x[i][j] = c[i];
            }
          }
          rows = x;
        }
      }
    }
    return x;
  }

  /** Label per row, 0 or 1. */
  public int[] y() {
    return y;
  }

  /** The encoded columns' names. */
  public String[] names() {
    return names;
  }

  /** The run's seed. */
  public long seed() {
    return seed;
  }

  private static double[][] transpose(double[][] rows, int width) {
    Objects.requireNonNull(rows, "x");
    double[][] columns = new double[width][rows.length];
    for (int i = 0; i < rows.length; i++) {
      double[] row = rows[i];
      if (row.length != width) {
        throw new IllegalArgumentException(
            "row " + i + " has " + row.length + " values, there are " + width + " names");
      }
      for (int j = 0; j < width; j++) {
        columns[j][i] = row[j];
      }
    }
    return columns;
  }
}
