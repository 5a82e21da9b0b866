package dev.perennial.core.training.builtin;

import dev.perennial.core.model.TrainingProgress;
import dev.perennial.core.training.TrainingData;
import dev.perennial.workflows.RequestProblems;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.function.ToIntFunction;
import smile.data.DataFrame;
import smile.data.formula.Formula;
import smile.data.vector.DoubleVector;
import smile.data.vector.IntVector;
import smile.data.vector.ValueVector;
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

  /**
   * The rows as Smile's data frame: each encoded column wrapped as it is (as {@code
   * DataFrame.of(double[][], names)} would hold a copy of it), and the label.
   */
  static DataFrame frame(TrainingData data) {
    String[] names = data.names();
    ValueVector[] columns = new ValueVector[names.length + 1];
    for (int j = 0; j < names.length; j++) {
      columns[j] = new DoubleVector(names[j], data.column(j));
    }
    columns[names.length] = new IntVector(LABEL, data.y());
    return new DataFrame(columns);
  }

  /**
   * A controller for one fit that reports each finished tree and stops the learner once the work is
   * cancelled, with its own delivery thread: Smile's no-argument constructor starts a pool that its
   * {@code close()} never ends, one idle thread left behind per training.
   */
  static <S> Followed<S> follow(TrainingProgress progress, int trees, ToIntFunction<S> treeOf) {
    return new Followed<>(progress, trees, treeOf);
  }

  /** What {@link #follow} returns: closing it delivers what is queued and ends its thread. */
  static final class Followed<S> implements AutoCloseable {
    /** Smile's own buffer size: a learner never waits for the progress thread. */
    private static final int BUFFER = 2048;

    private final ExecutorService delivery =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "perennial-fit-progress");
              t.setDaemon(true);
              return t;
            });
    private final IterativeAlgorithmController<S> controller =
        new IterativeAlgorithmController<>(delivery, BUFFER);

    private Followed(TrainingProgress progress, int trees, ToIntFunction<S> treeOf) {
      controller.subscribe(
          new Flow.Subscriber<>() {
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
          });
    }

    IterativeAlgorithmController<S> controller() {
      return controller;
    }

    @Override
    public void close() {
      controller.close();
      delivery.shutdown();
      try {
        // Only progress updates are left to deliver: a moment's work.
        if (!delivery.awaitTermination(10, TimeUnit.SECONDS)) {
          delivery.shutdownNow();
        }
      } catch (InterruptedException e) {
        delivery.shutdownNow();
        Thread.currentThread().interrupt();
      }
    }
  }
}
