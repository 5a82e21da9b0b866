package dev.perennial.workflows.search;

import dev.perennial.workflows.RequestProblems;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;

/**
 * The values one hyperparameter takes in a {@link HyperparameterSearch}: a numeric range (whole
 * numbers or decimals, linear or log scale) or a list of choices. From JSON: {@code
 * {"min":50,"max":400,"integer":true}}, {@code {"min":0.01,"max":0.3,"log":true}} or {@code
 * {"values":["0.6","0.8","1.0"]}}.
 *
 * <p>Not validated in the constructor, like the request it is part of: {@link #problems} names
 * every bad field.
 *
 * @param min the smallest value of a numeric range
 * @param max the largest value of a numeric range (included)
 * @param integer whole numbers only (default false)
 * @param log sampled and spaced on a log scale, e.g. for a learning rate; needs {@code min > 0}
 *     (default false)
 * @param steps points a grid search takes from a numeric range, ends included (default 3); whole
 *     numbers that round to the same point count once
 * @param values the choices, as text, instead of {@code min} and {@code max}
 */
public record ParameterRange(
    Double min, Double max, Boolean integer, Boolean log, Integer steps, List<String> values) {

  /** Grid points of a numeric range unless {@code steps} says otherwise. */
  public static final int DEFAULT_STEPS = 3;

  /** Whole numbers from {@code min} to {@code max}, both included. */
  public static ParameterRange ints(long min, long max) {
    return new ParameterRange((double) min, (double) max, true, null, null, null);
  }

  /** Decimals from {@code min} to {@code max}, uniform. */
  public static ParameterRange doubles(double min, double max) {
    return new ParameterRange(min, max, null, null, null, null);
  }

  /** Decimals from {@code min} to {@code max} on a log scale (a learning rate, a penalty). */
  public static ParameterRange logScale(double min, double max) {
    return new ParameterRange(min, max, null, true, null, null);
  }

  /** One of {@code values} (numbers, names, anything the trainer takes as text). */
  public static ParameterRange choice(Object... values) {
    List<String> text = new ArrayList<>();
    for (Object v : values) {
      text.add(String.valueOf(v));
    }
    return new ParameterRange(null, null, null, null, null, List.copyOf(text));
  }

  /** The same range with {@code steps} grid points. */
  public ParameterRange steps(int steps) {
    return new ParameterRange(min, max, integer, log, steps, values);
  }

  boolean isChoice() {
    return values != null;
  }

  boolean isInteger() {
    return Boolean.TRUE.equals(integer);
  }

  boolean isLog() {
    return Boolean.TRUE.equals(log);
  }

  /** Every problem of this range at {@code path}, each naming its field. */
  public List<String> problems(String path) {
    RequestProblems p = new RequestProblems();
    if (values != null) {
      p.require(
              min == null && max == null && integer == null && log == null && steps == null,
              path,
              "give either values or min and max, not both")
          .require(!values.isEmpty(), path + ".values", "must list at least one choice")
          .require(
              values.stream().noneMatch(v -> v == null || v.isBlank()),
              path + ".values",
              "must not hold blank choices")
          .require(
              new TreeSet<>(values.stream().map(String::valueOf).toList()).size() == values.size(),
              path + ".values",
              "must not repeat a choice (got " + values + ")");
      return p.list();
    }
    p.require(min != null && max != null, path, "needs min and max, or values");
    if (min == null || max == null) {
      return p.list();
    }
    p.require(
            Double.isFinite(min) && Double.isFinite(max) && min <= max,
            path,
            "needs min <= max (got min " + min + ", max " + max + ")")
        .require(
            !isLog() || min > 0, path + ".min", "must be above 0 on a log scale (got " + min + ")")
        .require(
            !isInteger() || (min == Math.rint(min) && max == Math.rint(max)),
            path,
            "is a range of whole numbers: min and max must be whole (got " + min + ", " + max + ")")
        .range(path + ".steps", steps, 2, 100);
    return p.list();
  }

  /** The grid points of this range, in increasing order (choices in their given order). */
  List<String> grid() {
    if (isChoice()) {
      return values;
    }
    int n = steps == null ? DEFAULT_STEPS : steps;
    List<String> points = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      double t = n == 1 ? 0 : (double) i / (n - 1);
      String v =
          text(
              isLog()
                  ? Math.exp(Math.log(min) + t * (Math.log(max) - Math.log(min)))
                  : min + t * (max - min));
      if (!points.contains(v)) {
        points.add(v);
      }
    }
    return points;
  }

  /** The values a range's check must accept: its choices, or its two ends. */
  List<String> ends() {
    return isChoice() ? values : List.of(text(min), text(max));
  }

  /** One value drawn from this range with {@code random}. */
  String sample(Random random) {
    if (isChoice()) {
      return values.get(random.nextInt(values.size()));
    }
    if (isInteger()) {
      long lo = Math.round(min);
      long hi = Math.round(max);
      if (isLog()) {
        double v = Math.exp(Math.log(lo) + random.nextDouble() * (Math.log(hi + 1) - Math.log(lo)));
        return Long.toString(Math.min(hi, (long) Math.floor(v)));
      }
      return Long.toString(lo + (long) Math.floor(random.nextDouble() * (hi - lo + 1)));
    }
    double u = random.nextDouble();
    return text(
        isLog()
            ? Math.exp(Math.log(min) + u * (Math.log(max) - Math.log(min)))
            : min + u * (max - min));
  }

  private String text(double v) {
    if (isInteger()) {
      return Long.toString(Math.round(v));
    }
    // Twelve significant digits: the value a person reads back in the registry is the one trained.
    return new java.math.BigDecimal(v)
        .round(new java.math.MathContext(12))
        .stripTrailingZeros()
        .toPlainString();
  }
}
