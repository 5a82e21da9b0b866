package dev.perennial.core.logs;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a reader puts the features of the prediction line it read, for an analysis that needs them
 * (drift): the values of the features it names, by index, in arrays reused from line to line,
 * because a window's millions of lines must not cost an object per value. A number a line lacks is
 * NaN, a category it lacks is null; features it does not name are skipped.
 *
 * <p>The values are those of the record just handed to the handler, valid until the next line is
 * read: field order in a line is arbitrary, so the reader fills the sink as it goes and the handler
 * sees the whole line at once.
 */
public final class FeatureSink {
  private final Map<String, Integer> index = new HashMap<>();
  private final boolean[] numeric;
  private final double[] numbers;
  private final String[] categories;

  /**
   * @param features the features to keep, in the order of their indexes
   * @param numeric whether each is numeric (else categorical); a numeric one must be a JSON number
   *     in a line, a categorical one a string, or the line is malformed
   */
  public FeatureSink(List<String> features, boolean[] numeric) {
    if (numeric.length != features.size()) {
      throw new IllegalArgumentException(
          features.size() + " features but " + numeric.length + " numeric flags");
    }
    for (int i = 0; i < features.size(); i++) {
      index.put(features.get(i), i);
    }
    this.numeric = numeric.clone();
    this.numbers = new double[features.size()];
    this.categories = new String[features.size()];
    clear();
  }

  /** Numeric feature {@code i} of the current line, NaN when it lacks it. */
  public double number(int i) {
    return numbers[i];
  }

  /** Categorical feature {@code i} of the current line, null when it lacks it. */
  public String category(int i) {
    return categories[i];
  }

  void clear() {
    Arrays.fill(numbers, Double.NaN);
    Arrays.fill(categories, null);
  }

  /** The index of feature {@code name}, or -1 for one not kept. */
  int slot(String name) {
    Integer i = index.get(name);
    return i == null ? -1 : i;
  }

  boolean numeric(int slot) {
    return numeric[slot];
  }

  void number(int slot, double value) {
    numbers[slot] = value;
  }

  void category(int slot, String value) {
    categories[slot] = value;
  }
}
