package dev.perennial.core.model;

import dev.perennial.core.data.Table;
import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * The present (not NaN) values of each numeric column of some rows, sorted: what the encoder's
 * medians ({@link FeatureEncoder#fit(Table, int[], boolean, SortedColumns)}) and the reference
 * profile's quantiles ({@link ReferenceProfile#of(Table, int[], SortedColumns)}) are both taken
 * from, so a training sorts each column once, the columns on all cores.
 */
public final class SortedColumns {
  private final Table table;
  private final int[] rows;
  private final double[][] present;

  private SortedColumns(Table table, int[] rows, double[][] present) {
    this.table = table;
    this.rows = rows;
    this.present = present;
  }

  /** Sorts the numeric columns of the rows of {@code table} at {@code rows} (null: every row). */
  public static SortedColumns of(Table table, int[] rows) {
    int n = table.schema().features().size();
    double[][] present = new double[n][];
    IntStream.range(0, n)
        .parallel()
        .filter(j -> table.numeric(j) != null)
        .forEach(j -> present[j] = sortedPresent(table.numeric(j), rows));
    return new SortedColumns(table, rows, present);
  }

  /** The sorted present values of numeric column {@code j}: the array itself, not a copy. */
  double[] present(int j) {
    return present[j];
  }

  /** Whether these are the columns of {@code table} at {@code rows}. */
  boolean areOf(Table table, int[] rows) {
    return this.table == table && this.rows == rows;
  }

  /** The values of {@code column} at {@code rows} (null: every row) that are not NaN, sorted. */
  static double[] sortedPresent(double[] column, int[] rows) {
    int n = rows == null ? column.length : rows.length;
    double[] v = new double[n];
    int k = 0;
    for (int i = 0; i < n; i++) {
      double x = column[rows == null ? i : rows[i]];
      if (!Double.isNaN(x)) {
        v[k++] = x;
      }
    }
    if (k < n) {
      v = Arrays.copyOf(v, k);
    }
    Arrays.sort(v);
    return v;
  }
}
