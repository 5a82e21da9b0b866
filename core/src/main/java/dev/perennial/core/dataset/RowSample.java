package dev.perennial.core.dataset;

import dev.perennial.workflows.training.Hyperparameters;
import java.util.SplittableRandom;

/**
 * How many rows a read keeps and how it picks them, so that it never holds more than {@link
 * #maxRows} rows whatever the size of the data: {@value Hyperparameters#UNIFORM} keeps a reservoir
 * (every row seen so far equally likely to be in it) in one pass; {@value
 * Hyperparameters#STRATIFIED} counts the rows per label in a first pass, gives each label its share
 * of {@code maxRows} and picks that many of its rows in a second, every row of a label equally
 * likely. Both keep exactly {@code min(maxRows, rows)} rows and are reproducible: the same rows in
 * the same order and the same seed pick the same sample.
 *
 * @param method {@value Hyperparameters#UNIFORM} or {@value Hyperparameters#STRATIFIED}
 * @param maxRows rows kept at most, at least 1
 * @param seed the generator's seed
 */
public record RowSample(String method, int maxRows, long seed) {
  public RowSample {
    if (!Hyperparameters.UNIFORM.equals(method) && !Hyperparameters.STRATIFIED.equals(method)) {
      throw new IllegalArgumentException(
          "sampling must be "
              + Hyperparameters.UNIFORM
              + " or "
              + Hyperparameters.STRATIFIED
              + " (got '"
              + method
              + "')");
    }
    if (maxRows < 1) {
      throw new IllegalArgumentException(
          "maxTrainingRows must be at least 1 (got " + maxRows + ")");
    }
  }

  /** The run's sampling, or null when it reads every row. */
  public static RowSample of(Hyperparameters h) {
    Hyperparameters d = h.withDefaults();
    return d.maxTrainingRows() == null
        ? null
        : new RowSample(d.sampling(), d.maxTrainingRows(), d.seed());
  }

  boolean stratified() {
    return method.equals(Hyperparameters.STRATIFIED);
  }

  /**
   * What a sampled read saw and kept, for the training report.
   *
   * @param method as asked
   * @param requestedRows {@code maxRows} as asked
   * @param rowsSeen rows of the days read
   * @param rowsKept rows kept: {@code min(requestedRows, rowsSeen)}
   * @param seed as asked
   * @param positivesSeen rows seen with label 1
   * @param positivesKept rows kept with label 1
   */
  public record Summary(
      String method,
      int requestedRows,
      long rowsSeen,
      int rowsKept,
      long seed,
      long positivesSeen,
      int positivesKept) {}

  /** Where each row goes: a slot of the kept rows, or nowhere. */
  interface Picker {
    /** The slot for the next row, whose label is {@code label}; -1 to skip it. */
    int slot(int label);
  }

  /** Keeps every row, in order. */
  static Picker all() {
    int[] next = {0};
    return label -> next[0]++;
  }

  /** Reservoir sampling: the first {@code maxRows} rows, then each row replaces a random slot. */
  Picker reservoir() {
    SplittableRandom random = new SplittableRandom(seed);
    long[] seen = {0};
    return label -> {
      long n = seen[0]++;
      if (n < maxRows) {
        return (int) n;
      }
      long j = random.nextLong(n + 1);
      return j < maxRows ? (int) j : -1;
    };
  }

  /**
   * Each label's share of {@code maxRows} for {@code perLabel} rows seen per label: largest
   * remainder, so the shares add up to {@code min(maxRows, rows)} exactly.
   */
  int[] quotas(long[] perLabel) {
    long total = perLabel[0] + perLabel[1];
    int[] quota = new int[2];
    if (total <= maxRows) {
      quota[0] = (int) perLabel[0];
      quota[1] = (int) perLabel[1];
      return quota;
    }
    double[] exact = new double[2];
    int given = 0;
    for (int c = 0; c < 2; c++) {
      exact[c] = (double) maxRows * perLabel[c] / total;
      quota[c] = (int) Math.floor(exact[c]);
      given += quota[c];
    }
    // At most one row is left over with two labels: to the label whose share was cut most.
    for (; given < maxRows; given++) {
      int c = exact[1] - quota[1] > exact[0] - quota[0] ? 1 : 0;
      quota[c]++;
    }
    return quota;
  }

  /**
   * Selection sampling per label (Knuth's algorithm S): a row of a label is kept with probability
   * (rows still to keep) / (rows still to come) of that label, which keeps exactly its quota.
   */
  Picker selection(long[] perLabel, int[] quota) {
    SplittableRandom random = new SplittableRandom(seed);
    long[] left = perLabel.clone();
    int[] toKeep = quota.clone();
    int[] next = {0};
    return label -> {
      long remaining = left[label]--;
      if (remaining <= 0) {
        // More rows than the first pass counted: the data changed under the read.
        throw new IllegalStateException("label " + label + " has more rows than counted");
      }
      if (toKeep[label] > 0 && random.nextLong(remaining) < toKeep[label]) {
        toKeep[label]--;
        return next[0]++;
      }
      return -1;
    };
  }
}
