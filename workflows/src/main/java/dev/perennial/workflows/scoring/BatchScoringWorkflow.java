package dev.perennial.workflows.scoring;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Scores rows in S3 with a registered version of a model (the champion unless one is named), in
 * chunks on the training task queue, at most {@code parallelism} at once, and writes the
 * predictions next to the inputs with a manifest written last. A retried or restarted chunk whose
 * output is already there is not scored again, so a crash costs at most the chunks in flight.
 *
 * <p>From a workflow of one's own, start it as a child ({@code
 * Workflow.newChildWorkflowStub(BatchScoringWorkflow.class)}) or call {@link ScoringActivities}
 * directly.
 */
@WorkflowInterface
public interface BatchScoringWorkflow {
  /** Stable workflow type name. */
  String TYPE = "BatchScoring";

  /** Query name. */
  String PROGRESS = "progress";

  /** The id the command line gives a scoring of {@code model}: one at a time per model. */
  static String workflowId(String model) {
    return "batch-scoring-" + model;
  }

  @WorkflowMethod(name = TYPE)
  BatchScoringResult run(BatchScoringRequest request);

  @QueryMethod(name = PROGRESS, description = "Phase, chunks done of the total, rows scored")
  BatchScoringProgress progress();
}
