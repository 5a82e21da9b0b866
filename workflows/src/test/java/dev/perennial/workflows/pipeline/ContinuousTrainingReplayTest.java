package dev.perennial.workflows.pipeline;

import io.temporal.testing.WorkflowReplayer;
import org.junit.jupiter.api.Test;

/**
 * Recorded histories must replay against the current workflow code: a change to the workflow's
 * logic that would break running executions fails here, and must go behind {@code
 * Workflow.getVersion}.
 */
class ContinuousTrainingReplayTest {

  @Test
  void promotedRunReplays() throws Exception {
    WorkflowReplayer.replayWorkflowExecutionFromResource(
        "histories/continuous-training-promoted.json", ContinuousTrainingWorkflowImpl.class);
  }
}
