package dev.perennial.core.training.builtin;

import dev.perennial.core.model.TrainingProgress;
import dev.perennial.core.training.TrainingData;
import dev.perennial.workflows.RequestProblems;
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

  /**
   * The ensemble-size and tree-size ranges every Smile tree learner here accepts, checked in this
   * order; a learner adds its own options to what this returns.
   */
  static RequestProblems ensemble(int trees, int maxDepth, int maxNodes, int nodeSize) {
    return tree(new RequestProblems().range("trees", trees, 1, 5000), maxDepth, maxNodes, nodeSize);
  }

  /** The tree-size ranges, added to {@code problems}. */
  static RequestProblems tree(RequestProblems problems, int maxDepth, int maxNodes, int nodeSize) {
    return problems
        .range("maxDepth", maxDepth, 2, 64)
        .range("maxNodes", maxNodes, 2, 1 << 16)
        .range("nodeSize", nodeSize, 1, 1_000_000);
  }

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
