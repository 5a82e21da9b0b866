package dev.perennial.core.training.builtin;

import dev.perennial.core.model.TrainingProgress;
import dev.perennial.core.training.TrainingData;
import java.util.concurrent.Flow;
import java.util.function.ToIntFunction;
import smile.data.DataFrame;
import smile.data.formula.Formula;
import smile.data.vector.IntVector;
import smile.util.IterativeAlgorithmController;

/** What the built-in Smile trainers share: the label column and progress per tree. */
final class SmileFits {
  private static final String LABEL = "__label__";

  private SmileFits() {}

  static Formula formula() {
    return Formula.lhs(LABEL);
  }

  static DataFrame frame(TrainingData data) {
    return DataFrame.of(data.x(), data.names()).add(new IntVector(LABEL, data.y()));
  }

  /** Reports each finished tree and stops the learner once the work is cancelled. */
  static <S> Flow.Subscriber<S> follow(
      IterativeAlgorithmController<S> controller,
      TrainingProgress progress,
      int trees,
      ToIntFunction<S> treeOf) {
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
