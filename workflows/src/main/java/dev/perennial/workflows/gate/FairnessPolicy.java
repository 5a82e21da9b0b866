package dev.perennial.workflows.gate;

import dev.perennial.workflows.RequestProblems;
import dev.perennial.workflows.training.Slicing;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link GatePolicy}'s fairness rule: the candidate's {@code metric} may differ between groups of
 * {@code feature} by at most {@code maxDifference}, a difference counting against it only when it
 * exceeds that by more than {@code standardErrors} standard errors ({@link GateRule#fairness(
 * Slicing, FairnessMetric, double, double, long)}). In a request: {@code {"feature":"region",
 * "metric":"RECALL","maxDifference":0.1}}.
 *
 * @param feature the feature whose values (or buckets, with {@code edges}) are the groups
 * @param edges bucket edges of a numeric feature; leave out for one group per category
 * @param metric POSITIVE_RATE (default) or RECALL
 * @param maxDifference the largest difference allowed between two groups (default 0.10)
 * @param standardErrors slack in standard errors of the difference (default 2; 0 for none)
 * @param minRows groups with fewer rows (for recall: positives) are left out (default 100)
 */
public record FairnessPolicy(
    String feature,
    List<Double> edges,
    FairnessMetric metric,
    Double maxDifference,
    Double standardErrors,
    Integer minRows) {
  public static final double DEFAULT_MAX_DIFFERENCE = 0.10;
  public static final double DEFAULT_STANDARD_ERRORS = 2;
  public static final int DEFAULT_MIN_ROWS = 100;

  public FairnessPolicy withDefaults() {
    return new FairnessPolicy(
        feature,
        edges,
        metric == null ? FairnessMetric.POSITIVE_RATE : metric,
        maxDifference == null ? DEFAULT_MAX_DIFFERENCE : maxDifference,
        standardErrors == null ? DEFAULT_STANDARD_ERRORS : standardErrors,
        minRows == null ? DEFAULT_MIN_ROWS : minRows);
  }

  public Slicing slicing() {
    return new Slicing(feature, edges);
  }

  public GateRule rule() {
    FairnessPolicy p = withDefaults();
    return GateRule.fairness(
        p.slicing(), p.metric(), p.maxDifference(), p.standardErrors(), p.minRows());
  }

  public List<String> problems(String path) {
    List<String> p = new ArrayList<>(slicing().problems(path));
    p.addAll(
        new RequestProblems()
            .range(path + ".maxDifference", maxDifference, 0, 1)
            .range(path + ".standardErrors", standardErrors, 0, 10)
            .range(path + ".minRows", minRows, 1, Integer.MAX_VALUE)
            .list());
    return p;
  }
}
