package dev.perennial.core.model;

import dev.perennial.core.data.Table;
import dev.perennial.workflows.RequestProblems;
import dev.perennial.workflows.training.Algorithm;
import dev.perennial.workflows.training.Hyperparameters;
import java.util.SplittableRandom;
import java.util.concurrent.Flow;
import smile.base.cart.SplitRule;
import smile.classification.GradientTreeBoost;
import smile.classification.LogisticRegression;
import smile.classification.RandomForest;
import smile.data.DataFrame;
import smile.data.formula.Formula;
import smile.data.vector.IntVector;
import smile.math.MathEx;
import smile.util.IterativeAlgorithmController;

/** Trains Smile classifiers from a {@link Hyperparameters} record, reproducibly for a seed. */
public final class SmileTrainer {
  private static final String LABEL = "__label__";

  /** Thrown when training stopped because {@link TrainingProgress#cancelled()} turned true. */
  public static final class TrainingCancelledException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    TrainingCancelledException() {
      super("training was cancelled");
    }
  }

  /**
   * Trains on every row of {@code table}.
   *
   * @throws IllegalArgumentException when the hyperparameters are out of range, naming each
   */
  public ModelBundle train(
      Table table, Hyperparameters hyperparameters, TrainingProgress progress) {
    Hyperparameters h = hyperparameters.withDefaults();
    new RequestProblems().addAll(h.problems("hyperparameters")).refuseIfAny("hyperparameters");
    if (table.rows() == 0) {
      throw new IllegalArgumentException("no training rows");
    }
    boolean linear = h.algorithm() == Algorithm.LOGISTIC_REGRESSION;
    progress.update("encode", 0);
    FeatureEncoder encoder = FeatureEncoder.fit(table, linear);
    double[][] x = encoder.encode(table);
    int[] y = table.label();
    // Smile draws subsamples from its thread-local generator; seed it on this thread.
    MathEx.setSeed(h.seed());
    progress.update("fit", 0);
    ModelBundle bundle =
        switch (h.algorithm()) {
          case LOGISTIC_REGRESSION ->
              ModelBundle.ofLinear(
                  encoder,
                  LogisticRegression.fit(
                      x, y, new LogisticRegression.Options(h.lambda(), 1e-5, h.maxIterations())));
          case GRADIENT_BOOSTING ->
              ModelBundle.ofTrees(
                  h.algorithm(), encoder, gradientBoosting(encoder, x, y, h, progress));
          case RANDOM_FOREST ->
              ModelBundle.ofTrees(h.algorithm(), encoder, randomForest(encoder, x, y, h, progress));
        };
    if (progress.cancelled()) {
      throw new TrainingCancelledException();
    }
    progress.update("fit", 1);
    return bundle;
  }

  private static GradientTreeBoost gradientBoosting(
      FeatureEncoder encoder, double[][] x, int[] y, Hyperparameters h, TrainingProgress progress) {
    try (var controller = new IterativeAlgorithmController<GradientTreeBoost.TrainingStatus>()) {
      controller.subscribe(
          follow(controller, progress, h.trees(), GradientTreeBoost.TrainingStatus::tree));
      return GradientTreeBoost.fit(
          Formula.lhs(LABEL),
          frame(encoder, x, y),
          new GradientTreeBoost.Options(
              h.trees(),
              h.maxDepth(),
              h.maxNodes(),
              h.nodeSize(),
              h.shrinkage(),
              h.subsample(),
              null,
              controller));
    }
  }

  private static RandomForest randomForest(
      FeatureEncoder encoder, double[][] x, int[] y, Hyperparameters h, TrainingProgress progress) {
    int features = encoder.names().length;
    long[] seeds = new SplittableRandom(h.seed()).longs(h.trees()).toArray();
    try (var controller = new IterativeAlgorithmController<RandomForest.TrainingStatus>()) {
      controller.subscribe(
          follow(controller, progress, h.trees(), RandomForest.TrainingStatus::tree));
      return RandomForest.fit(
          Formula.lhs(LABEL),
          frame(encoder, x, y),
          new RandomForest.Options(
              h.trees(),
              Math.max(1, (int) Math.floor(Math.sqrt(features))),
              SplitRule.GINI,
              h.maxDepth(),
              h.maxNodes(),
              h.nodeSize(),
              h.subsample(),
              null,
              seeds,
              controller));
    }
  }

  private static DataFrame frame(FeatureEncoder encoder, double[][] x, int[] y) {
    return DataFrame.of(x, encoder.names()).add(new IntVector(LABEL, y));
  }

  /** Reports each finished tree and stops the learner once the work is cancelled. */
  private static <S> Flow.Subscriber<S> follow(
      IterativeAlgorithmController<S> controller,
      TrainingProgress progress,
      int trees,
      java.util.function.ToIntFunction<S> treeOf) {
    return new Flow.Subscriber<>() {
      @Override
      public void onSubscribe(Flow.Subscription subscription) {
        subscription.request(Long.MAX_VALUE);
      }

      @Override
      public void onNext(S status) {
        progress.update("fit", Math.min(1.0, treeOf.applyAsInt(status) / (double) trees));
        if (progress.cancelled()) {
          controller.stop();
        }
      }

      @Override
      public void onError(Throwable throwable) {}

      @Override
      public void onComplete() {}
    };
  }
}
