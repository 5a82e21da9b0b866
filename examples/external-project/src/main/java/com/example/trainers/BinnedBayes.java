package com.example.trainers;

import dev.perennial.core.training.ScoringModel;
import java.io.Serial;
import java.util.Arrays;

/**
 * The fitted model of {@link BinnedBayesTrainer}: serialized into the version's bundle, so it holds
 * only doubles and arrays of them, and is the one class the trainer adds to the allowlist.
 */
public record BinnedBayes(double prior, double[][] edges, double[][] ratios)
    implements ScoringModel {
  @Serial private static final long serialVersionUID = 1L;

  @Override
  public double[] probabilities(double[][] rows) {
    double[] p = new double[rows.length];
    for (int r = 0; r < rows.length; r++) {
      double logOdds = prior;
      for (int c = 0; c < edges.length; c++) {
        logOdds += ratios[c][bin(edges[c], rows[r][c])];
      }
      p[r] = 1 / (1 + Math.exp(-logOdds));
    }
    return p;
  }

  /** The bin of {@code value}: the number of edges at or below it (NaN takes the last bin). */
  static int bin(double[] edges, double value) {
    if (Double.isNaN(value)) {
      return edges.length;
    }
    int i = Arrays.binarySearch(edges, value);
    return i >= 0 ? i + 1 : -i - 1;
  }
}
