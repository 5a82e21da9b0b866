package com.example.trainers;

import dev.perennial.core.model.TrainingProgress;
import dev.perennial.core.training.Encoding;
import dev.perennial.core.training.ScoringModel;
import dev.perennial.core.training.Trainer;
import dev.perennial.core.training.TrainerOptions;
import dev.perennial.core.training.TrainerSettings;
import dev.perennial.core.training.TrainingData;
import dev.perennial.workflows.RequestProblems;
import java.util.Arrays;
import java.util.List;

/**
 * A trainer of our own, to show the plug-in: naive Bayes over quantile bins. Each column is cut at
 * the training rows' quantiles; a row's log-odds are the prior's plus, per column, the smoothed
 * log-likelihood ratio of the bin it falls in. Fast, robust to outliers and monotone effects, and a
 * fair baseline for tabular churn data. Runs choose it with {@code
 * Hyperparameters.of("example-binned-bayes")}.
 */
public final class BinnedBayesTrainer implements Trainer<BinnedBayesTrainer.Options> {
  public static final String NAME = "example-binned-bayes";

  /**
   * @param bins quantile bins per column, 2 to 100 (default 10)
   * @param smoothing Laplace smoothing added to every bin's counts, above 0 (default 1.0)
   */
  public record Options(int bins, double smoothing) implements TrainerOptions {
    public Options {
      new RequestProblems()
          .range("bins", bins, 2, 100)
          .range("smoothing", smoothing, 1e-9, 1e6)
          .refuseIfAny(NAME + " options");
    }
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Options options(TrainerSettings settings) {
    return new Options(settings.integer("bins", 10), settings.decimal("smoothing", 1.0));
  }

  @Override
  public Encoding encoding() {
    return Encoding.ORDINAL;
  }

  @Override
  public List<String> modelClasses() {
    return List.of(BinnedBayes.class.getName());
  }

  @Override
  public ScoringModel fit(TrainingData data, Options options, TrainingProgress progress) {
    double[][] x = data.x();
    int[] y = data.y();
    int columns = data.names().length;
    long positives = Arrays.stream(y).filter(v -> v == 1).count();
    double prior =
        Math.log((positives + options.smoothing()) / (y.length - positives + options.smoothing()));
    double[][] edges = new double[columns][];
    double[][] ratios = new double[columns][];
    for (int c = 0; c < columns; c++) {
      edges[c] = quantileEdges(x, c, options.bins());
      double[] pos = new double[edges[c].length + 1];
      double[] neg = new double[edges[c].length + 1];
      for (int r = 0; r < x.length; r++) {
        (y[r] == 1 ? pos : neg)[BinnedBayes.bin(edges[c], x[r][c])]++;
      }
      ratios[c] = new double[pos.length];
      for (int b = 0; b < pos.length; b++) {
        double p = (pos[b] + options.smoothing()) / (positives + options.smoothing() * pos.length);
        double n =
            (neg[b] + options.smoothing())
                / (y.length - positives + options.smoothing() * pos.length);
        ratios[c][b] = Math.log(p / n);
      }
      progress.update("fit", (c + 1.0) / columns);
    }
    return new BinnedBayes(prior, edges, ratios);
  }

  /** Distinct cut points at the column's quantiles; a constant column has none. */
  private static double[] quantileEdges(double[][] x, int column, int bins) {
    double[] values = new double[x.length];
    for (int r = 0; r < x.length; r++) {
      values[r] = x[r][column];
    }
    Arrays.sort(values);
    return java.util.stream.IntStream.range(1, bins)
        .mapToDouble(i -> values[(int) ((long) i * (values.length - 1) / bins)])
        .distinct()
        .toArray();
  }
}
