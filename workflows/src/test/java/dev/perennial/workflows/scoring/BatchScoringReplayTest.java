package dev.perennial.workflows.scoring;

import io.temporal.testing.WorkflowReplayer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Recorded scorings must replay against the current workflow code: a scoring of many days runs for
 * hours, so a change to how it plans, fans out or tallies its chunks meets runs in flight and must
 * go behind {@code Workflow.getVersion}. Refresh with {@code -Dperennial.recordHistories=true} on
 * {@link BatchScoringWorkflowTest}.
 */
class BatchScoringReplayTest {

  /**
   * Ten chunks four at a time, then the manifest; one chunk retried after a transient failure; a
   * chunk refused for bad data, which fails the run before the manifest.
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "batch-scoring-scored.json",
        "batch-scoring-chunk-retried.json",
        "batch-scoring-chunk-refused.json"
      })
  void aRecordedScoringReplays(String history) throws Exception {
    WorkflowReplayer.replayWorkflowExecutionFromResource(
        "histories/" + history, BatchScoringWorkflowImpl.class);
  }
}
