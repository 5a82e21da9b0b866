package dev.perennial.workflows.pipeline;

import io.temporal.failure.CanceledFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Workflow;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** Runs a pipeline's body in a cancellation scope that the {@code abort} signal cancels. */
final class PipelineAbort {
  private CancellationScope scope;
  private String reason;

  /** Cancels the body's current step, or the body before it starts. */
  void abort(String why) {
    reason = why == null || why.isBlank() ? "aborted" : why;
    if (scope != null) {
      scope.cancel(reason);
    }
  }

  /** Why the run was aborted, or null. */
  String reason() {
    return reason;
  }

  /**
   * Runs {@code body}; once aborted, answers {@code aborted} instead of the cancellation it caused.
   * Any other failure goes to {@code failed}, then on.
   */
  ContinuousTrainingResult run(
      Supplier<ContinuousTrainingResult> body,
      Supplier<ContinuousTrainingResult> aborted,
      Consumer<TemporalFailure> failed) {
    ContinuousTrainingResult[] result = new ContinuousTrainingResult[1];
    scope = Workflow.newCancellationScope(() -> result[0] = body.get());
    if (reason != null) {
      scope.cancel(reason);
    }
    try {
      scope.run();
    } catch (TemporalFailure e) {
      if (reason != null && isCancellation(e)) {
        return aborted.get();
      }
      failed.accept(e);
      throw e;
    }
    if (reason != null && result[0] == null) {
      return aborted.get();
    }
    return result[0];
  }

  private static boolean isCancellation(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof CanceledFailure) {
        return true;
      }
    }
    return false;
  }
}
