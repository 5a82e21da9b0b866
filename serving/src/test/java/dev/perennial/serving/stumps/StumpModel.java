package dev.perennial.serving.stumps;

import dev.perennial.core.training.ScoringModel;
import java.io.Serial;

/** What {@link StumpTrainer} fits: a base log-odds plus one step per stump. */
public final class StumpModel implements ScoringModel {
  @Serial private static final long serialVersionUID = 1L;

  private final double base;
  private final int[] feature;
  private final double[] threshold;
  private final double[] left;
  private final double[] right;

  StumpModel(double base, int[] feature, double[] threshold, double[] left, double[] right) {
    this.base = base;
    this.feature = feature;
    this.threshold = threshold;
    this.left = left;
    this.right = right;
  }

  @Override
  public double[] probabilities(double[][] rows) {
    double[] p = new double[rows.length];
    for (int i = 0; i < rows.length; i++) {
      double s = base;
      for (int t = 0; t < feature.length; t++) {
        s += rows[i][feature[t]] <= threshold[t] ? left[t] : right[t];
      }
      p[i] = 1 / (1 + Math.exp(-s));
    }
    return p;
  }
}
