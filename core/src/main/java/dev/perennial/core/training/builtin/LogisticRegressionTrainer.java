package dev.perennial.core.training.builtin;

import dev.perennial.core.model.TrainingProgress;
import dev.perennial.core.training.Encoding;
import dev.perennial.core.training.ScoringModel;
import dev.perennial.core.training.Trainer;
import dev.perennial.core.training.TrainerOptions;
import dev.perennial.core.training.TrainerSettings;
import dev.perennial.core.training.TrainingData;
import dev.perennial.workflows.RequestProblems;
import smile.classification.LogisticRegression;

/** {@code LOGISTIC_REGRESSION}: Smile's L2-regularised logistic regression on one-hot rows. */
public final class LogisticRegressionTrainer implements Trainer<LogisticRegressionTrainer.Options> {

  /**
   * @param lambda L2 regularisation, 0 to 1e6 (default 0.1)
   * @param maxIterations optimiser iterations, 1 to 100000 (default 500)
   * @param tolerance the optimiser's convergence tolerance, above 0 up to 0.1 (default 1e-5)
   */
  public record Options(double lambda, int maxIterations, double tolerance)
      implements TrainerOptions {
    public Options {
      new RequestProblems()
          .range("lambda", lambda, 0, 1e6)
          .range("maxIterations", maxIterations, 1, 100_000)
          .range("tolerance", tolerance, 1e-15, 0.1)
          .refuseIfAny("LOGISTIC_REGRESSION options");
    }
  }

  @Override
  public String name() {
    return "LOGISTIC_REGRESSION";
  }

  @Override
  public Options options(TrainerSettings s) {
    return new Options(
        s.decimal("lambda", 0.1), s.integer("maxIterations", 500), s.decimal("tolerance", 1e-5));
  }

  @Override
  public Encoding encoding() {
    return Encoding.ONE_HOT;
  }

  @Override
  public ScoringModel fit(TrainingData data, Options o, TrainingProgress progress) {
    return SmileModel.ofVectors(
        LogisticRegression.fit(
            data.x(),
            data.y(),
            new LogisticRegression.Options(o.lambda(), o.tolerance(), o.maxIterations())));
  }
}
