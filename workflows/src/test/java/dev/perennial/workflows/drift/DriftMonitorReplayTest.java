package dev.perennial.workflows.drift;

import dev.perennial.workflows.TaskQueues;
import dev.perennial.workflows.WorkflowImplementations;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import org.junit.jupiter.api.Test;

/**
 * Recorded monitor runs must replay against the current workflow code: a monitor runs for months,
 * so a change to its logic meets runs in flight, and must go behind {@code Workflow.getVersion}.
 * Refresh with {@code -Dperennial.recordHistories=true} on {@link DriftMonitorWorkflowTest} and
 * {@link DriftMonitorMessagesTest}.
 */
class DriftMonitorReplayTest {

  /**
   * A breach that starts a retraining, a breach within its cooldown, then the stop signal; recorded
   * before the anchored schedule ({@code drift-anchored-schedule}).
   */
  @Test
  void aBreachThatStartedRetrainingThenAStopReplays() throws Exception {
    WorkflowReplayer.replayWorkflowExecutionFromResource(
        "histories/drift-monitor-breach.json", DriftMonitorWorkflowImpl.class);
  }

  /** The same with the anchored schedule. */
  @Test
  void theSameOnTheAnchoredScheduleReplays() throws Exception {
    WorkflowReplayer.replayWorkflowExecutionFromResource(
        "histories/drift-monitor-breach-anchored.json", DriftMonitorWorkflowImpl.class);
  }

  /**
   * The first run of a monitor that continues as new after three checks (as the test worker set it
   * up): a retraining start, two checks in its cooldown, and the hand-over of the state.
   */
  @Test
  void aRunThatContinuedAsNewReplays() throws Exception {
    try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance()) {
      Worker worker = env.newWorker(TaskQueues.PIPELINES);
      worker.registerWorkflowImplementationFactory(
          DriftMonitorWorkflow.class,
          () -> new DriftMonitorWorkflowImpl(3),
          WorkflowImplementations.OPTIONS);
      WorkflowReplayer.replayWorkflowExecutionFromResource(
          "histories/drift-monitor-continued.json", worker);
    }
  }

  /** A check-now signal, as running monitors may still receive it, then a stop. */
  @Test
  void aCheckNowSignalReplays() throws Exception {
    WorkflowReplayer.replayWorkflowExecutionFromResource(
        "histories/drift-monitor-check-now-signal.json", DriftMonitorWorkflowImpl.class);
  }

  /**
   * Two check updates, the second while the first measured, one refused by the validator, then a
   * stop.
   */
  @Test
  void checkUpdatesReplay() throws Exception {
    WorkflowReplayer.replayWorkflowExecutionFromResource(
        "histories/drift-monitor-check.json", DriftMonitorWorkflowImpl.class);
  }
}
