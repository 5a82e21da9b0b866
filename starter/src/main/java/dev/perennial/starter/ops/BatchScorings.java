package dev.perennial.starter.ops;

import dev.perennial.workflows.scoring.BatchScoringProgress;
import dev.perennial.workflows.scoring.BatchScoringRequest;
import dev.perennial.workflows.scoring.BatchScoringResult;
import dev.perennial.workflows.scoring.BatchScoringWorkflow;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowQueryException;
import io.temporal.client.WorkflowStub;
import java.util.Objects;
import java.util.function.Consumer;

/** Batch scorings: started as {@link BatchScoringWorkflow} runs and followed to their result. */
public final class BatchScorings {
  private BatchScorings() {}

  /**
   * Starts a scoring under {@code workflowId} (default {@link BatchScoringWorkflow#workflowId});
   * refused when a run with that id is open.
   */
  public static PipelineRuns.StartResult start(
      WorkflowClient client, BatchScoringRequest request, String workflowId) {
    String id = workflowId != null ? workflowId : BatchScoringWorkflow.workflowId(request.model());
    return PipelineRuns.start(client, BatchScoringWorkflow.TYPE, id, request);
  }

  /**
   * Polls the run's {@code progress} query twice a second, handing {@code progress} each change,
   * until the run closes; returns its result (throws {@code WorkflowFailedException} when it
   * failed).
   */
  public static BatchScoringResult follow(
      WorkflowClient client, String workflowId, Consumer<BatchScoringProgress> progress) {
    WorkflowStub run = client.newUntypedWorkflowStub(workflowId);
    BatchScoringProgress last = null;
    while (run.describe().getStatus()
        == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) {
      try {
        BatchScoringProgress now =
            run.query(BatchScoringWorkflow.PROGRESS, BatchScoringProgress.class);
        if (!Objects.equals(now, last)) {
          progress.accept(now);
          last = now;
        }
      } catch (WorkflowQueryException e) {
        // No worker has picked the run up yet: ask again.
      }
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
    return run.getResult(BatchScoringResult.class);
  }
}
