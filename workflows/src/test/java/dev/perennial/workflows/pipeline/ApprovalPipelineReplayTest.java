package dev.perennial.workflows.pipeline;

import io.temporal.testing.WorkflowReplayer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A pipeline's approval messages must replay against the current {@link PipelineRun}: runs may wait
 * two days for a decision, so a change to how {@code approve}, {@code reject} or {@code abort} are
 * handled meets runs in flight. Refresh with {@code -Dperennial.recordHistories=true} on {@link
 * ApprovalPipelineTest}.
 */
class ApprovalPipelineReplayTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "approved-forest-approved.json",
        "approved-forest-rejected.json",
        "approved-forest-aborted.json"
      })
  void aPipelineDecidedByAMessageReplays(String history) throws Exception {
    WorkflowReplayer.replayWorkflowExecutionFromResource(
        "histories/" + history, ApprovalPipelineTest.ApprovedForestImpl.class);
  }
}
