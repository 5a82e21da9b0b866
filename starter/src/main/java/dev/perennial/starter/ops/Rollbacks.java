package dev.perennial.starter.ops;

import dev.perennial.workflows.TaskQueues;
import dev.perennial.workflows.rollback.RollbackRequest;
import dev.perennial.workflows.rollback.RollbackResult;
import dev.perennial.workflows.rollback.RollbackWorkflow;
import io.temporal.api.enums.v1.WorkflowIdConflictPolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;

/** Rollbacks: an earlier approved version champion again, through {@link RollbackWorkflow}. */
public final class Rollbacks {
  private Rollbacks() {}

  /**
   * Runs a rollback under the model's rollback id to its end and returns what it did; throws {@code
   * WorkflowExecutionAlreadyStarted} when one is open for the model, {@code
   * WorkflowFailedException} when it failed.
   */
  public static RollbackResult run(WorkflowClient client, RollbackRequest request) {
    RollbackWorkflow rollback =
        client.newWorkflowStub(
            RollbackWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId(RollbackWorkflow.workflowId(request.model()))
                .setTaskQueue(TaskQueues.PIPELINES)
                .setWorkflowIdConflictPolicy(
                    WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_FAIL)
                .build());
    return rollback.run(request);
  }
}
