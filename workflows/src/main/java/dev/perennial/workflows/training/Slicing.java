package dev.perennial.workflows.training;

import dev.perennial.workflows.RequestProblems;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * How to cut the held-out rows into slices by one feature: one slice per value of a categorical
 * feature ({@link #byValue}), or numeric buckets between explicit edges ({@link #byBuckets}). Rows
 * where the feature is missing form a slice of their own, {@code missing}.
 *
 * <p>Buckets are closed below: edges {@code [30, 45]} give {@code <30}, {@code [30, 45)} and {@code
 * >=45}.
 *
 * @param feature a feature of the model's schema
 * @param edges strictly increasing bucket edges for a numeric feature; null for a categorical one
 */
public record Slicing(String feature, List<Double> edges) {
  /**
   * At most this many slices per feature, so an evaluation stays small in the run's history: a
   * categorical feature with more values in the held-out rows is refused, and so are more than
   * {@code MAX_SLICES - 2} edges (the buckets and the missing slice).
   */
  public static final int MAX_SLICES = 50;

  /** At most this many slicings per evaluation. */
  public static final int MAX_SLICINGS = 5;

  /** The slice of rows where the feature is missing. */
  public static final String MISSING = "missing";

  public Slicing {
    edges = edges == null ? null : List.copyOf(edges);
  }

  /** One slice per value of the categorical {@code feature}. */
  public static Slicing byValue(String feature) {
    return checked(new Slicing(feature, null));
  }

  /** Buckets of the numeric {@code feature} between {@code edges}, e.g. {@code 30, 45, 60}. */
  public static Slicing byBuckets(String feature, double... edges) {
    return checked(new Slicing(feature, Arrays.stream(edges).boxed().toList()));
  }

  private static Slicing checked(Slicing s) {
    new RequestProblems().addAll(s.problems("slicing")).refuseIfAny("slicing");
    return s;
  }

  /** True for numeric buckets. */
  public boolean buckets() {
    return edges != null;
  }

  /** What is wrong with this slicing, each problem naming {@code path}'s field; empty if none. */
  public List<String> problems(String path) {
    List<String> p = new ArrayList<>();
    if (feature == null || feature.isBlank()) {
      p.add(path + ".feature: name the feature to slice by");
    }
    if (edges != null) {
      if (edges.isEmpty()) {
        p.add(
            path
                + ".edges: empty; give at least one bucket edge, or leave edges out to slice a"
                + " categorical feature by value");
      } else if (edges.size() > MAX_SLICES - 2) {
        p.add(
            path
                + ".edges: "
                + edges.size()
                + " edges make more than "
                + MAX_SLICES
                + " slices; give at most "
                + (MAX_SLICES - 2));
      }
      for (int i = 0; i < edges.size(); i++) {
        Double e = edges.get(i);
        if (e == null || !Double.isFinite(e)) {
          p.add(path + ".edges[" + i + "]: must be a finite number (got " + e + ")");
        } else if (i > 0 && edges.get(i - 1) != null && !(e > edges.get(i - 1))) {
          p.add(
              path
                  + ".edges: must be strictly increasing ("
                  + num(edges.get(i - 1))
                  + " then "
                  + num(e)
                  + ")");
        }
      }
    }
    return p;
  }

  /** The bucket a numeric value falls in ({@link #MISSING} for NaN), by the names slices carry. */
  public String bucketOf(double value) {
    if (Double.isNaN(value)) {
      return MISSING;
    }
    int i = 0;
    while (i < edges.size() && value >= edges.get(i)) {
      i++;
    }
    return bucketName(i);
  }

  /** Bucket {@code i} of {@code edges.size() + 1}, in ascending order. */
  public String bucketName(int i) {
    if (i == 0) {
      return "<" + num(edges.get(0));
    }
    if (i == edges.size()) {
      return ">=" + num(edges.get(i - 1));
    }
    return "[" + num(edges.get(i - 1)) + ", " + num(edges.get(i)) + ")";
  }

  /** E.g. {@code region} or {@code age by [30, 45, 60]}. */
  @Override
  public String toString() {
    return edges == null
        ? feature
        : feature + " by " + edges.stream().map(Slicing::num).toList().toString();
  }

  private static String num(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15
        ? Long.toString((long) v)
        : String.format(Locale.ROOT, "%s", v);
  }
}
