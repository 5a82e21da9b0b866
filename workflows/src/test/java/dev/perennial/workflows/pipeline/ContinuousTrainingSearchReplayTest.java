package dev.perennial.workflows.pipeline;

import io.temporal.testing.WorkflowReplayer;
import org.junit.jupiter.api.Test;

/**
 * A run that searched ({@code hyperparameter-search} change): its trials, started with Async two at
 * a time, and the pick of the best replay against the current code.
 */
class ContinuousTrainingSearchReplayTest {

  @Test
  void runThatSearchedReplays() throws Exception {
    WorkflowReplayer.replayWorkflowExecutionFromResource(
        "histories/continuous-training-search.json", ContinuousTrainingWorkflowImpl.class);
  }
}
