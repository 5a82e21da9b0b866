package dev.perennial.core.model;

import dev.perennial.workflows.training.ModelMetrics;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/** Binary-classification metrics from labels and predicted probabilities of class 1. */
public final class BinaryMetrics {
  static final double EPSILON = 1e-15;

  private BinaryMetrics() {}

  /**
   * AUC, log loss and, at threshold 0.5, accuracy, precision, recall and F1.
   *
   * @throws IllegalArgumentException when a probability is NaN (see {@link #auc})
   */
  public static ModelMetrics of(int[] label, double[] probability) {
    if (label.length != probability.length) {
      throw new IllegalArgumentException(
          label.length + " labels but " + probability.length + " probabilities");
    }
    refuseNaN(probability);
    int n = label.length;
    long tp = 0;
    long fp = 0;
    long tn = 0;
    long fn = 0;
    double logLoss = 0;
    for (int i = 0; i < n; i++) {
      logLoss += rowLogLoss(label[i], probability[i]);
      boolean predicted = probability[i] >= 0.5;
      if (predicted && label[i] == 1) {
        tp++;
      } else if (predicted) {
        fp++;
      } else if (label[i] == 1) {
        fn++;
      } else {
        tn++;
      }
    }
    double precision = tp + fp == 0 ? 0 : (double) tp / (tp + fp);
    double recall = tp + fn == 0 ? 0 : (double) tp / (tp + fn);
    double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
    return new ModelMetrics(
        auc(label, probability),
        n == 0 ? Double.NaN : logLoss / n,
        n == 0 ? Double.NaN : (double) (tp + tn) / n,
        precision,
        recall,
        f1,
        n);
  }

  /**
   * Area under the ROC curve as the Mann-Whitney statistic: the probability that a random positive
   * scores above a random negative, ties counting one half (average ranks). NaN without both
   * classes.
   *
   * @throws IllegalArgumentException when a score is NaN: a NaN has no rank (sorting would put it
   *     above every number), and a model that scores NaN is broken, not good or bad
   */
  public static double auc(int[] label, double[] probability) {
    refuseNaN(probability);
    int n = label.length;
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparingDouble(i -> probability[i]));
    double rankSumPositives = 0;
    long positives = 0;
    int i = 0;
    while (i < n) {
      int j = i;
      while (j + 1 < n && probability[order[j + 1]] == probability[order[i]]) {
        j++;
      }
      double averageRank = (i + j) / 2.0 + 1;
      for (int k = i; k <= j; k++) {
        if (label[order[k]] == 1) {
          rankSumPositives += averageRank;
          positives++;
        }
      }
      i = j + 1;
    }
    long negatives = n - positives;
    if (positives == 0 || negatives == 0) {
      return Double.NaN;
    }
    return (rankSumPositives - positives * (positives + 1) / 2.0)
        / ((double) positives * negatives);
  }

  private static void refuseNaN(double[] probability) {
    long nan = Arrays.stream(probability).filter(Double::isNaN).count();
    if (nan > 0) {
      throw new IllegalArgumentException(
          nan
              + " of "
              + probability.length
              + " predicted probabilities are NaN: the model cannot be scored");
    }
  }

  /** One row's log loss, the probability clipped away from 0 and 1 so it stays finite. */
  public static double rowLogLoss(int label, double probability) {
    double p = Math.min(1 - EPSILON, Math.max(EPSILON, probability));
    return label == 1 ? -Math.log(p) : -Math.log(1 - p);
  }

  /**
   * Standard error of the log loss (a mean over rows): the rows' sample standard deviation over the
   * square root of their number; NaN under two rows.
   */
  public static double logLossStandardError(int[] label, double[] probability) {
    int n = label.length;
    if (n < 2) {
      return Double.NaN;
    }
    double sum = 0;
    double sumSquares = 0;
    for (int i = 0; i < n; i++) {
      double loss = rowLogLoss(label[i], probability[i]);
      sum += loss;
      sumSquares += loss * loss;
    }
    double mean = sum / n;
    double variance = Math.max(0, (sumSquares - n * mean * mean) / (n - 1));
    return Math.sqrt(variance / n);
  }

  /**
   * Standard error of an AUC from the numbers of positives and negatives behind it (Hanley and
   * McNeil, 1982); NaN without both classes.
   */
  public static double aucStandardError(double auc, long positives, long negatives) {
    if (positives == 0 || negatives == 0 || Double.isNaN(auc)) {
      return Double.NaN;
    }
    double q1 = auc / (2 - auc);
    double q2 = 2 * auc * auc / (1 + auc);
    double variance =
        (auc * (1 - auc) + (positives - 1) * (q1 - auc * auc) + (negatives - 1) * (q2 - auc * auc))
            / ((double) positives * negatives);
    return Math.sqrt(Math.max(0, variance));
  }

  /**
   * ROC curve points (false positive rate, true positive rate) at up to {@code points} thresholds,
   * for reports.
   */
  public static double[][] roc(int[] label, double[] probability, int points) {
    double[] thresholds = new double[points + 1];
    for (int t = 0; t <= points; t++) {
      thresholds[t] = 1 - (double) t / points;
    }
    long positives = Arrays.stream(label).filter(y -> y == 1).count();
    long negatives = label.length - positives;
    double[][] curve = new double[points + 1][2];
    for (int t = 0; t <= points; t++) {
      long tp = 0;
      long fp = 0;
      for (int i = 0; i < label.length; i++) {
        if (probability[i] >= thresholds[t]) {
          if (label[i] == 1) {
            tp++;
          } else {
            fp++;
          }
        }
      }
      curve[t][0] = negatives == 0 ? 0 : (double) fp / negatives;
      curve[t][1] = positives == 0 ? 0 : (double) tp / positives;
    }
    return curve;
  }

  /**
   * The exact ROC curve, one point per distinct score from the highest down, thinned to at most
   * {@code maxPoints} points for plotting. Starts at (0, 0) and ends at (1, 1); tied scores give
   * one diagonal step, as they should.
   *
   * <p>Thinning keeps the points that bend the curve most (greedy Ramer-Douglas-Peucker: split the
   * segment whose farthest point is farthest from it, until the budget is spent), so corners
   * survive and long straight runs lose their points: the plotted shape stays that of the curve.
   *
   * @param maxPoints at least 2
   */
  public static double[][] rocCurve(int[] label, double[] probability, int maxPoints) {
    if (maxPoints < 2) {
      throw new IllegalArgumentException("a curve needs at least 2 points, not " + maxPoints);
    }
    if (label.length != probability.length) {
      throw new IllegalArgumentException(
          label.length + " labels but " + probability.length + " probabilities");
    }
    int n = label.length;
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparingDouble((Integer i) -> probability[i]).reversed());
    long positives = Arrays.stream(label).filter(y -> y == 1).count();
    long negatives = n - positives;
    List<double[]> curve = new ArrayList<>();
    curve.add(new double[] {0, 0});
    long tp = 0;
    long fp = 0;
    int i = 0;
    while (i < n) {
      double score = probability[order[i]];
      // Compare bit patterns so NaN scores form one group instead of one each.
      while (i < n && Double.compare(probability[order[i]], score) == 0) {
        if (label[order[i]] == 1) {
          tp++;
        } else {
          fp++;
        }
        i++;
      }
      curve.add(
          new double[] {
            negatives == 0 ? 0 : (double) fp / negatives,
            positives == 0 ? 0 : (double) tp / positives
          });
    }
    if (curve.size() == 1) {
      curve.add(new double[] {1, 1});
    }
    return thin(curve.toArray(double[][]::new), maxPoints);
  }

  /** At most {@code maxPoints} of the points, first and last always, the most bent ones first. */
  static double[][] thin(double[][] points, int maxPoints) {
    int n = points.length;
    if (n <= maxPoints) {
      return points;
    }
    boolean[] keep = new boolean[n];
    keep[0] = true;
    keep[n - 1] = true;
    int kept = 2;
    // Segments by the distance of their farthest inner point, farthest first; ties by position,
    // so the result does not depend on anything but the input.
    PriorityQueue<int[]> segments =
        new PriorityQueue<>(
            (a, b) -> {
              int byDistance =
                  Double.compare(
                      distance(points, b[0], b[1], b[2]), distance(points, a[0], a[1], a[2]));
              return byDistance != 0 ? byDistance : Integer.compare(a[0], b[0]);
            });
    offer(segments, points, 0, n - 1);
    while (kept < maxPoints && !segments.isEmpty()) {
      int[] s = segments.poll();
      keep[s[2]] = true;
      kept++;
      offer(segments, points, s[0], s[2]);
      offer(segments, points, s[2], s[1]);
    }
    double[][] thinned = new double[kept][];
    int j = 0;
    for (int i = 0; i < n; i++) {
      if (keep[i]) {
        thinned[j++] = points[i];
      }
    }
    return thinned;
  }

  /** Adds segment {from, to, farthest inner point} when it has inner points. */
  private static void offer(PriorityQueue<int[]> segments, double[][] points, int from, int to) {
    if (to - from < 2) {
      return;
    }
    int farthest = from + 1;
    double best = -1;
    for (int k = from + 1; k < to; k++) {
      double d = distance(points, from, to, k);
      if (d > best) {
        best = d;
        farthest = k;
      }
    }
    segments.add(new int[] {from, to, farthest});
  }

  /** Distance of point k from the line through points a and b (from a itself when they meet). */
  private static double distance(double[][] p, int a, int b, int k) {
    double dx = p[b][0] - p[a][0];
    double dy = p[b][1] - p[a][1];
    double length = Math.hypot(dx, dy);
    if (length == 0) {
      return Math.hypot(p[k][0] - p[a][0], p[k][1] - p[a][1]);
    }
    return Math.abs(dy * (p[k][0] - p[a][0]) - dx * (p[k][1] - p[a][1])) / length;
  }

  /** Confusion matrix at 0.5: {{tn, fp}, {fn, tp}}. */
  public static long[][] confusion(int[] label, double[] probability) {
    long[][] m = new long[2][2];
    for (int i = 0; i < label.length; i++) {
      m[label[i]][probability[i] >= 0.5 ? 1 : 0]++;
    }
    return m;
  }
}
