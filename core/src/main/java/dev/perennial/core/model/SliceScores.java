package dev.perennial.core.model;

import dev.perennial.core.data.FeatureSchema;
import dev.perennial.core.data.FeatureSpec;
import dev.perennial.core.data.FeatureType;
import dev.perennial.core.data.Table;
import dev.perennial.workflows.training.ModelMetrics;
import dev.perennial.workflows.training.SliceMetrics;
import dev.perennial.workflows.training.SliceResults;
import dev.perennial.workflows.training.Slicing;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Candidate and champion scored per slice of the rows they were scored on: the same {@link
 * BinaryMetrics} on each slice's rows, with its row, positive and predicted-positive counts.
 */
public final class SliceScores {
  private SliceScores() {}

  /**
   * Refuses slicings the schema cannot serve, before any row is read: an unknown feature (naming
   * those there are), edges on a categorical feature, a numeric feature without edges, more than
   * {@link Slicing#MAX_SLICINGS} slicings.
   *
   * @throws IllegalArgumentException naming every problem
   */
  public static void check(FeatureSchema schema, List<Slicing> slicings) {
    if (slicings == null) {
      return;
    }
    List<String> problems = new ArrayList<>();
    if (slicings.size() > Slicing.MAX_SLICINGS) {
      problems.add(
          slicings.size() + " slicings asked for; at most " + Slicing.MAX_SLICINGS + " at once");
    }
    for (Slicing s : slicings) {
      problems.addAll(s.problems("slices[" + s + "]"));
      FeatureSpec f = s.feature() == null ? null : schema.feature(s.feature());
      if (s.feature() != null && f == null) {
        problems.add(
            "slices: '"
                + s.feature()
                + "' is not a feature of "
                + schema.name()
                + " (features: "
                + String.join(", ", schema.features().stream().map(FeatureSpec::name).toList())
                + ")");
      } else if (f != null && f.type() == FeatureType.CATEGORICAL && s.buckets()) {
        problems.add(
            "slices: '"
                + s.feature()
                + "' is categorical: slice it by value (leave out edges), not by buckets");
      } else if (f != null && f.type() == FeatureType.NUMERIC && !s.buckets()) {
        problems.add(
            "slices: '"
                + s.feature()
                + "' is numeric: give bucket edges, e.g. \"edges\": [30, 45, 60]"
                + (f.min() != null && f.max() != null
                    ? " (its range is " + f.min() + " to " + f.max() + ")"
                    : ""));
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          "Invalid slices for " + schema.name() + ": " + String.join("; ", problems));
    }
  }

  /**
   * Each slicing's slices of {@code rows}, scored with the candidate's and (when not null) the
   * champion's probabilities on those rows.
   *
   * @throws IllegalArgumentException when a categorical feature has more than {@link
   *     Slicing#MAX_SLICES} values in the rows
   */
  public static List<SliceResults> of(
      Table rows, List<Slicing> slicings, double[] candidate, double[] champion) {
    check(rows.schema(), slicings);
    List<SliceResults> results = new ArrayList<>();
    for (Slicing s : slicings) {
      results.add(new SliceResults(s, slices(rows, s, candidate, champion)));
    }
    return results;
  }

  private static List<SliceMetrics> slices(
      Table rows, Slicing s, double[] candidate, double[] champion) {
    String[] key = keys(rows, s);
    // Categories sorted by name, buckets by position, missing last.
    Map<String, List<Integer>> byKey = new TreeMap<>();
    for (int i = 0; i < key.length; i++) {
      byKey.computeIfAbsent(key[i], k -> new ArrayList<>()).add(i);
    }
    if (byKey.size() > Slicing.MAX_SLICES) {
      throw new IllegalArgumentException(
          "slices: '"
              + s.feature()
              + "' has "
              + (byKey.containsKey(MISSING_KEY) ? byKey.size() - 1 : byKey.size())
              + " values in the held-out rows, more than the "
              + Slicing.MAX_SLICES
              + " slices an evaluation keeps per feature: slice by a feature with fewer values");
    }
    int[] label = rows.label();
    List<SliceMetrics> out = new ArrayList<>();
    for (Map.Entry<String, List<Integer>> e : byKey.entrySet()) {
      int[] idx = e.getValue().stream().mapToInt(Integer::intValue).toArray();
      int[] y = new int[idx.length];
      double[] pc = new double[idx.length];
      double[] pch = champion == null ? null : new double[idx.length];
      long positives = 0;
      long predicted = 0;
      for (int i = 0; i < idx.length; i++) {
        y[i] = label[idx[i]];
        pc[i] = candidate[idx[i]];
        positives += y[i];
        predicted += pc[i] >= 0.5 ? 1 : 0;
        if (pch != null) {
          pch[i] = champion[idx[i]];
        }
      }
      ModelMetrics c = BinaryMetrics.of(y, pc);
      ModelMetrics ch = pch == null ? null : BinaryMetrics.of(y, pch);
      out.add(
          new SliceMetrics(
              s.feature(), name(s, e.getKey()), idx.length, positives, c, predicted, ch));
    }
    return out;
  }

  /** Sorts after every bucket index and every category name a CSV can hold. */
  private static final String MISSING_KEY = "\uffff" + Slicing.MISSING;

  /** Each row's sort key: its category, its bucket's zero-padded index, or {@link #MISSING_KEY}. */
  private static String[] keys(Table rows, Slicing s) {
    int column = rows.schema().features().indexOf(rows.schema().feature(s.feature()));
    String[] key = new String[rows.rows()];
    if (s.buckets()) {
      double[] v = rows.numeric(column);
      List<Double> edges = s.edges();
      for (int i = 0; i < key.length; i++) {
        if (Double.isNaN(v[i])) {
          key[i] = MISSING_KEY;
        } else {
          int b = 0;
          while (b < edges.size() && v[i] >= edges.get(b)) {
            b++;
          }
          key[i] = String.format(java.util.Locale.ROOT, "%03d", b);
        }
      }
    } else {
      String[] v = rows.categorical(column);
      for (int i = 0; i < key.length; i++) {
        key[i] = v[i] == null ? MISSING_KEY : v[i];
      }
    }
    return key;
  }

  private static String name(Slicing s, String key) {
    if (key.equals(MISSING_KEY)) {
      return Slicing.MISSING;
    }
    return s.buckets() ? s.bucketName(Integer.parseInt(key)) : key;
  }
}
