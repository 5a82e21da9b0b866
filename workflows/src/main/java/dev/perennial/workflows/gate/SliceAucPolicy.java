package dev.perennial.workflows.gate;

import dev.perennial.workflows.RequestProblems;
import dev.perennial.workflows.training.Slicing;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link GatePolicy}'s rule over slices: no slice of {@code feature} with at least {@code
 * minRows} held-out rows may lose more than {@code maxLoss} AUC against the champion ({@link
 * GateRule#noSliceLosesAuc}). In a request: {@code {"feature":"region","minRows":200,
 * "maxLoss":0.03}}, or with {@code "edges":[30,45,60]} for buckets of a numeric feature.
 *
 * @param feature the feature to slice by (required)
 * @param edges bucket edges of a numeric feature; leave out for one slice per category
 * @param minRows slices with fewer held-out rows are not judged (default 100)
 * @param maxLoss the most AUC a slice may lose against the champion (default 0.03)
 */
public record SliceAucPolicy(String feature, List<Double> edges, Integer minRows, Double maxLoss) {
  public static final int DEFAULT_MIN_ROWS = 100;
  public static final double DEFAULT_MAX_LOSS = 0.03;

  public SliceAucPolicy withDefaults() {
    return new SliceAucPolicy(
        feature,
        edges,
        minRows == null ? DEFAULT_MIN_ROWS : minRows,
        maxLoss == null ? DEFAULT_MAX_LOSS : maxLoss);
  }

  public Slicing slicing() {
    return new Slicing(feature, edges);
  }

  public GateRule rule() {
    SliceAucPolicy p = withDefaults();
    return GateRule.noSliceLosesAuc(p.slicing(), p.minRows(), p.maxLoss());
  }

  public List<String> problems(String path) {
    List<String> p = new ArrayList<>(slicing().problems(path));
    p.addAll(
        new RequestProblems()
            .range(path + ".minRows", minRows, 1, Integer.MAX_VALUE)
            .range(path + ".maxLoss", maxLoss, 0, 1)
            .list());
    return p;
  }
}
