package dev.perennial.workflows.search;

import dev.perennial.workflows.RequestProblems;
import dev.perennial.workflows.training.Hyperparameters;
import dev.perennial.workflows.training.ModelMetrics;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A hyperparameter search: which values to try (ranges over hyperparameters, by the names {@link
 * Hyperparameters#with} takes), how to pick the trials (grid or random), how many and how many at
 * once, and which validation metric picks the best. Each trial is one {@code TrainModel} activity
 * on the training task queue, so trials spread over the training workers.
 *
 * <pre>{@code
 * static final HyperparameterSearch SEARCH =
 *     HyperparameterSearch.random(12)
 *         .over("trees", ParameterRange.ints(50, 400))
 *         .over("maxDepth", ParameterRange.ints(3, 8))
 *         .over("shrinkage", ParameterRange.logScale(0.01, 0.3))
 *         .over("subsample", ParameterRange.choice(0.6, 0.8, 1.0))
 *         .parallelism(3)
 *         .by("auc");
 * }</pre>
 *
 * <p>From JSON (the {@code search} of a {@code ContinuousTraining} request): {@code
 * {"strategy":"RANDOM","trials":12,"parallelism":3,"metric":"auc","ranges":{"trees":{"min":50,
 * "max":400,"integer":true},"shrinkage":{"min":0.01,"max":0.3,"log":true}}}}.
 *
 * <p>Not validated in the constructor: {@link #problems} names every bad field.
 *
 * @param strategy GRID or RANDOM (default RANDOM)
 * @param ranges the values each hyperparameter takes; the others keep the base hyperparameters'
 * @param trials the trial budget: RANDOM draws this many distinct trials (default 10); GRID runs
 *     every grid point (default), and refuses a grid bigger than a budget given
 * @param parallelism trials training at once (default 2)
 * @param metric the validation metric that picks the best trial: {@code auc} (default), {@code
 *     logLoss} (lower is better), {@code accuracy}, {@code precision}, {@code recall} or {@code
 *     f1}; measured on each trial's validation split of the training days, never the held-out days
 * @param seed seeds the random draws, so the same search draws the same trials (default: drawn from
 *     the run's deterministic random)
 */
public record HyperparameterSearch(
    SearchStrategy strategy,
    Map<String, ParameterRange> ranges,
    Integer trials,
    Integer parallelism,
    String metric,
    Long seed) {

  public static final int DEFAULT_RANDOM_TRIALS = 10;
  public static final int DEFAULT_PARALLELISM = 2;
  public static final String DEFAULT_METRIC = "auc";
  public static final int MAX_TRIALS = 500;

  static final List<String> METRICS =
      List.of("auc", "logLoss", "accuracy", "precision", "recall", "f1");

  /** A random search of {@code trials} trials; add ranges with {@link #over}. */
  public static HyperparameterSearch random(int trials) {
    return new HyperparameterSearch(SearchStrategy.RANDOM, Map.of(), trials, null, null, null);
  }

  /** A grid search over every combination of the ranges' grid points. */
  public static HyperparameterSearch grid() {
    return new HyperparameterSearch(SearchStrategy.GRID, Map.of(), null, null, null, null);
  }

  /** A copy that also varies {@code key} (a hyperparameter's or trainer option's name). */
  public HyperparameterSearch over(String key, ParameterRange range) {
    SortedMap<String, ParameterRange> r = new TreeMap<>(ranges == null ? Map.of() : ranges);
    r.put(key, range);
    return new HyperparameterSearch(
        strategy, Collections.unmodifiableSortedMap(r), trials, parallelism, metric, seed);
  }

  /** A copy that trains {@code n} trials at once. */
  public HyperparameterSearch parallelism(int n) {
    return new HyperparameterSearch(strategy, ranges, trials, n, metric, seed);
  }

  /** A copy that picks the best trial by {@code validationMetric}. */
  public HyperparameterSearch by(String validationMetric) {
    return new HyperparameterSearch(strategy, ranges, trials, parallelism, validationMetric, seed);
  }

  /** A copy whose random draws are seeded with {@code s}. */
  public HyperparameterSearch seed(long s) {
    return new HyperparameterSearch(strategy, ranges, trials, parallelism, metric, s);
  }

  /** The strategy, with the default applied. */
  public SearchStrategy strategyOrDefault() {
    return strategy == null ? SearchStrategy.RANDOM : strategy;
  }

  /** The metric, with the default applied. */
  public String metricOrDefault() {
    return metric == null ? DEFAULT_METRIC : metric;
  }

  /** The parallelism, with the default applied. */
  public int parallelismOrDefault() {
    return parallelism == null ? DEFAULT_PARALLELISM : parallelism;
  }

  /** The ranges sorted by name: the order the grid enumerates and the draws are made in. */
  SortedMap<String, ParameterRange> sortedRanges() {
    return new TreeMap<>(ranges == null ? Map.of() : ranges);
  }

  /** Points of the full grid. */
  long gridSize() {
    long n = 1;
    for (ParameterRange r : sortedRanges().values()) {
      n *= r.grid().size();
    }
    return n;
  }

  /**
   * Every problem of this search at {@code path}, each naming its field; {@code base} is the
   * hyperparameters the trials start from, so a range a typed field cannot take is named here.
   */
  public List<String> problems(String path, Hyperparameters base) {
    RequestProblems p =
        new RequestProblems()
            .require(
                ranges != null && !ranges.isEmpty(),
                path + ".ranges",
                "must vary at least one hyperparameter, e.g. {\"trees\":{\"min\":50,\"max\":400,"
                    + "\"integer\":true}}")
            .range(path + ".trials", trials, 1, MAX_TRIALS)
            .range(path + ".parallelism", parallelism, 1, 64)
            .require(
                metric == null || METRICS.contains(metric),
                path + ".metric",
                "must be one of " + METRICS + " (got '" + metric + "')");
    Hyperparameters b = base == null ? Hyperparameters.defaults() : base.withDefaults();
    p.require(
        b.validationFraction() == null || b.validationFraction() > 0,
        path,
        "picks the best trial on the validation split, but validationFraction is 0: set"
            + " hyperparameters.validationFraction above 0");
    if (ranges == null) {
      return p.list();
    }
    List<String> nested = new ArrayList<>();
    for (Map.Entry<String, ParameterRange> e : sortedRanges().entrySet()) {
      String field = path + ".ranges." + e.getKey();
      if (e.getKey() == null || e.getKey().isBlank() || e.getKey().equals("algorithm")) {
        nested.add(
            field
                + ": must name a hyperparameter or trainer option (the trainer is the base"
                + " hyperparameters' algorithm; search each trainer in a run of its own)");
        continue;
      }
      if (e.getValue() == null) {
        nested.add(field + ": needs min and max, or values");
        continue;
      }
      List<String> own = e.getValue().problems(field);
      nested.addAll(own);
      if (own.isEmpty()) {
        // Each end (or choice) must be a value the hyperparameter takes.
        for (String v : e.getValue().ends()) {
          try {
            nested.addAll(b.with(e.getKey(), v).problems("hyperparameters"));
          } catch (IllegalArgumentException bad) {
            nested.add(field + ": " + bad.getMessage());
          }
        }
      }
    }
    if (nested.isEmpty() && strategyOrDefault() == SearchStrategy.GRID) {
      long size = gridSize();
      long budget = trials == null ? MAX_TRIALS : trials;
      if (size > budget) {
        nested.add(
            path
                + (trials == null ? ".ranges" : ".trials")
                + ": the grid has "
                + size
                + " points, more than "
                + (trials == null ? "the most a search runs, " : "the budget of ")
                + budget
                + ": "
                + (trials == null ? "" : "raise trials, ")
                + "give fewer steps or choices, or use strategy RANDOM");
      }
    }
    // Both ends of a range may break the same rule: name it once.
    return List.copyOf(new LinkedHashSet<>(p.addAll(nested).list()));
  }

  /**
   * The trials' hyperparameters, in trial order: {@code base} with each range's value set. GRID
   * enumerates the ranges sorted by name, the last varying fastest; RANDOM draws each range in that
   * order from {@code random}, skipping a combination drawn before (so a small space may give fewer
   * trials than the budget). Deterministic for a given {@code random}, as workflow code must be.
   */
  public List<Hyperparameters> plan(Hyperparameters base, Random random) {
    Hyperparameters b = base == null ? Hyperparameters.defaults() : base.withDefaults();
    SortedMap<String, ParameterRange> r = sortedRanges();
    List<Map<String, String>> points = new ArrayList<>();
    if (strategyOrDefault() == SearchStrategy.GRID) {
      points.add(new TreeMap<>());
      for (Map.Entry<String, ParameterRange> e : r.entrySet()) {
        List<Map<String, String>> next = new ArrayList<>();
        for (Map<String, String> p : points) {
          for (String v : e.getValue().grid()) {
            Map<String, String> q = new TreeMap<>(p);
            q.put(e.getKey(), v);
            next.add(q);
          }
        }
        points = next;
      }
    } else {
      int budget = trials == null ? DEFAULT_RANDOM_TRIALS : trials;
      Set<Map<String, String>> seen = new LinkedHashSet<>();
      // A space smaller than the budget runs out of new combinations: stop after many misses.
      for (int misses = 0; seen.size() < budget && misses < 100 * budget; ) {
        Map<String, String> q = new TreeMap<>();
        r.forEach((k, range) -> q.put(k, range.sample(random)));
        if (!seen.add(q)) {
          misses++;
        }
      }
      points.addAll(seen);
    }
    List<Hyperparameters> plan = new ArrayList<>();
    for (Map<String, String> p : points) {
      Hyperparameters h = b;
      for (Map.Entry<String, String> e : p.entrySet()) {
        h = h.with(e.getKey(), e.getValue());
      }
      plan.add(h.withDefaults());
    }
    return List.copyOf(plan);
  }

  /** True when a larger value of {@link #metricOrDefault()} is better. */
  boolean higherIsBetter() {
    return !ModelMetrics.lowerIsBetter(metricOrDefault());
  }
}
