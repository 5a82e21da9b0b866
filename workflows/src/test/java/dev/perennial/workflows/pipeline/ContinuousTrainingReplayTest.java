package dev.perennial.workflows.pipeline;

import io.temporal.testing.WorkflowReplayer;
import org.junit.jupiter.api.Test;

/**
 * Recorded histories must replay against the current workflow code: a change to the workflow's
 * logic that would break running executions fails here, and must go behind {@code
 * Workflow.getVersion}.
 */
class ContinuousTrainingReplayTest {

  /** Recorded before the memo links ({@code memo-report-links} change): replays without them. */
  @Test
  void promotedRunFromBeforeTheMemoLinksReplays() throws Exception {
    WorkflowReplayer.replayWorkflowExecutionFromResource(
        "histories/continuous-training-promoted.json", ContinuousTrainingWorkflowImpl.class);
  }

  @Test
  void promotedRunWithMemoLinksReplays() throws Exception {
    WorkflowReplayer.replayWorkflowExecutionFromResource(
        "histories/continuous-training-promoted-memo.json", ContinuousTrainingWorkflowImpl.class);
  }

  /** Recorded before the canary hand-off ({@code canary-handoff}): the candidate is challenger. */
  @Test
  void challengerRunFromBeforeTheCanaryHandoffReplays() throws Exception {
    WorkflowReplayer.replayWorkflowExecutionFromResource(
        "histories/continuous-training-challenger.json", ContinuousTrainingWorkflowImpl.class);
  }

  @Test
  void runThatHandedItsCandidateToACanaryReplays() throws Exception {
    WorkflowReplayer.replayWorkflowExecutionFromResource(
        "histories/continuous-training-canary.json", ContinuousTrainingWorkflowImpl.class);
  }

  /** Rollout SHADOW: the candidate went to a rollout child in shadow mode. */
  @Test
  void runThatHandedItsCandidateToAShadowReplays() throws Exception {
    WorkflowReplayer.replayWorkflowExecutionFromResource(
        "histories/continuous-training-shadow.json", ContinuousTrainingWorkflowImpl.class);
  }

  /** Started by the drift monitor: links its drift report from the memo. */
  @Test
  void driftStartedRunReplays() throws Exception {
    WorkflowReplayer.replayWorkflowExecutionFromResource(
        "histories/continuous-training-drift.json", ContinuousTrainingWorkflowImpl.class);
  }

  /**
   * Recorded with the step cache ({@code step-cache} change): a run whose key the champion has
   * trains nothing.
   */
  @Test
  void runThatTheStepCacheAnsweredReplays() throws Exception {
    WorkflowReplayer.replayWorkflowExecutionFromResource(
        "histories/continuous-training-cache-hit.json", ContinuousTrainingWorkflowImpl.class);
  }

  /** Recorded with the step cache: a miss trains and records its key with the version. */
  @Test
  void runThatMissedTheStepCacheReplays() throws Exception {
    WorkflowReplayer.replayWorkflowExecutionFromResource(
        "histories/continuous-training-cache-miss.json", ContinuousTrainingWorkflowImpl.class);
  }

  /** A run whose gate refused the candidate for one slice ({@code sliceAuc} in the request). */
  @Test
  void runRefusedForASliceReplays() throws Exception {
    WorkflowReplayer.replayWorkflowExecutionFromResource(
        "histories/continuous-training-slice-refused.json", ContinuousTrainingWorkflowImpl.class);
  }
}
