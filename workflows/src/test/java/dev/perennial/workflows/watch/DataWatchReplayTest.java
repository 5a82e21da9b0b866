package dev.perennial.workflows.watch;

import dev.perennial.workflows.TaskQueues;
import dev.perennial.workflows.WorkflowImplementations;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import org.junit.jupiter.api.Test;

/**
 * Recorded data watches must replay against the current workflow code: a watch runs for months, so
 * a change to its logic meets runs in flight and must go behind {@code Workflow.getVersion}.
 * Refresh with {@code -Dperennial.recordHistories=true} on {@link DataWatchWorkflowTest}.
 */
class DataWatchReplayTest {

  /**
   * A baseline, a new day that started a retraining, a day that waited while it ran, a second start
   * once it had finished, then the stop signal.
   */
  @Test
  void retrainingsPerNewDayThenAStopReplay() throws Exception {
    WorkflowReplayer.replayWorkflowExecutionFromResource(
        "histories/data-watch-retraining.json", DataWatchWorkflowImpl.class);
  }

  /**
   * The first run of a watch that continues as new after two checks (as the test worker set it up):
   * a start for the days after {@code since}, a quiet check, and the hand-over of the state.
   */
  @Test
  void aRunThatContinuedAsNewReplays() throws Exception {
    try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance()) {
      Worker worker = env.newWorker(TaskQueues.PIPELINES);
      worker.registerWorkflowImplementationFactory(
          DataWatchWorkflow.class,
          () -> new DataWatchWorkflowImpl(2),
          WorkflowImplementations.OPTIONS);
      WorkflowReplayer.replayWorkflowExecutionFromResource(
          "histories/data-watch-continued.json", worker);
    }
  }

  /** A check update, one refused by the validator, a check-now signal, then a stop. */
  @Test
  void checkMessagesReplay() throws Exception {
    WorkflowReplayer.replayWorkflowExecutionFromResource(
        "histories/data-watch-check.json", DataWatchWorkflowImpl.class);
  }
}
