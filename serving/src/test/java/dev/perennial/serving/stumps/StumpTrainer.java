package dev.perennial.serving.stumps;

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
 * A user's trainer as a test sees one: plain Java, no Smile, declared only in this module's test
 * resources. Boosts decision stumps on the log-loss, one Newton step per round.
 */
public final class StumpTrainer implements Trainer<StumpTrainer.Options> {

  /**
   * @param rounds stumps added, 1 to 500 (default 30)
   * @param cuts candidate thresholds per column, at quantiles, 1 to 64 (default 8)
   * @param shrinkage share of each step taken, above 0 up to 1 (default 0.5)
   */
  public record Options(int rounds, int cuts, double shrinkage) implements TrainerOptions {
    public Options {
      new RequestProblems()
          .range("rounds", rounds, 1, 500)
          .range("cuts", cuts, 1, 64)
          .range("shrinkage", shrinkage, 1e-6, 1)
          .refuseIfAny("test-stumps options");
    }
  }

  @Override
  public String name() {
    return "test-stumps";
  }

  @Override
  public Options options(TrainerSettings s) {
    return new Options(s.integer("rounds", 30), s.integer("cuts", 8), s.decimal("shrinkage", 0.5));
  }

  @Override
  public Encoding encoding() {
    return Encoding.ORDINAL;
  }

  @Override
  public List<String> modelClasses() {
    return List.of(StumpModel.class.getName());
  }

  @Override
  public ScoringModel fit(TrainingData data, Options o, TrainingProgress progress) {
    double[][] x = data.x();
    int[] y = data.y();
    int n = y.length;
    int columns = data.names().length;
    double[][] cuts = new double[columns][];
    for (int j = 0; j < columns; j++) {
      double[] sorted = new double[n];
      for (int i = 0; i < n; i++) {
        sorted[i] = x[i][j];
      }
      Arrays.sort(sorted);
      cuts[j] = new double[o.cuts()];
      for (int c = 0; c < o.cuts(); c++) {
        cuts[j][c] = sorted[(int) ((c + 1) * (n - 1L) / (o.cuts() + 1))];
      }
    }
    double positives = Arrays.stream(y).sum();
    double base = Math.log((positives + 1) / (n - positives + 1));
    double[] score = new double[n];
    Arrays.fill(score, base);
    int[] feature = new int[o.rounds()];
    double[] threshold = new double[o.rounds()];
    double[] left = new double[o.rounds()];
    double[] right = new double[o.rounds()];
    double[] g = new double[n];
    double[] h = new double[n];
    for (int t = 0; t < o.rounds() && !progress.cancelled(); t++) {
      for (int i = 0; i < n; i++) {
        double p = 1 / (1 + Math.exp(-score[i]));
        g[i] = y[i] - p;
        h[i] = Math.max(p * (1 - p), 1e-6);
      }
      double best = Double.NEGATIVE_INFINITY;
      for (int j = 0; j < columns; j++) {
        for (double cut : cuts[j]) {
          double gl = 0, hl = 0, gr = 0, hr = 0;
          for (int i = 0; i < n; i++) {
            if (x[i][j] <= cut) {
              gl += g[i];
              hl += h[i];
            } else {
              gr += g[i];
              hr += h[i];
            }
          }
          double gain = gl * gl / (hl + 1) + gr * gr / (hr + 1);
          if (gain > best) {
            best = gain;
            feature[t] = j;
            threshold[t] = cut;
            left[t] = o.shrinkage() * gl / (hl + 1);
            right[t] = o.shrinkage() * gr / (hr + 1);
          }
        }
      }
      for (int i = 0; i < n; i++) {
        score[i] += x[i][feature[t]] <= threshold[t] ? left[t] : right[t];
      }
      progress.update("fit", (t + 1.0) / o.rounds());
    }
    return new StumpModel(base, feature, threshold, left, right);
  }
}
