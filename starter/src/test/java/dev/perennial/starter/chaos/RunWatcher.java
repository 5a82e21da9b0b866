package dev.perennial.starter.chaos;

import dev.perennial.workflows.canary.CanaryPhase;
import dev.perennial.workflows.canary.CanaryRolloutWorkflow;
import dev.perennial.workflows.canary.CanaryStatus;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import io.temporal.api.workflow.v1.PendingChildExecutionInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Where a pipeline run is, as Temporal shows it: the activity pending on the run or on its canary
 * child, or the canary's bake timer. The campaign picks its kill points from this, never from a
 * sleep.
 */
final class RunWatcher {

  /** The points of a full cycle, in the order a run passes them. */
  enum Stage {
    SNAPSHOT,
    VALIDATION,
    TRAINING,
    EVALUATION,
    REGISTRATION,
    CANARY_BAKE,
    CANARY_ANALYSIS,
    PROMOTION,
    REJECTION
  }

  /** What one look saw: the run still running (at {@code stage}, null between two) or ended. */
  record Look(boolean running, Stage stage, String detail) {}

  private static final Map<String, Stage> ACTIVITIES =
      Map.of(
          "SnapshotDataset", Stage.SNAPSHOT,
          "ValidateDataset", Stage.VALIDATION,
          "TrainModel", Stage.TRAINING,
          "EvaluateModel", Stage.EVALUATION,
          "RegisterModelVersion", Stage.REGISTRATION,
          "AnalyseCanary", Stage.CANARY_ANALYSIS,
          "SetModelAlias", Stage.PROMOTION,
          "RejectModelVersion", Stage.REJECTION);

  private final WorkflowServiceStubs service;
  private final WorkflowClient client;

  RunWatcher(WorkflowServiceStubs service, WorkflowClient client) {
    this.service = service;
    this.client = client;
  }

  /** One look at {@code run}; throws when Temporal cannot be reached (the caller looks again). */
  Look look(WorkflowExecution run) {
    DescribeWorkflowExecutionResponse d = describe(run);
    if (d.getWorkflowExecutionInfo().getStatus()
        != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) {
      return new Look(false, null, d.getWorkflowExecutionInfo().getStatus().name());
    }
    Optional<Look> activity = pending(d, "");
    if (activity.isPresent()) {
      return activity.get();
    }
    for (PendingChildExecutionInfo child : d.getPendingChildrenList()) {
      WorkflowExecution childRun =
          WorkflowExecution.newBuilder()
              .setWorkflowId(child.getWorkflowId())
              .setRunId(child.getRunId())
              .build();
      DescribeWorkflowExecutionResponse c = describe(childRun);
      Optional<Look> inChild = pending(c, "canary ");
      if (inChild.isPresent()) {
        return inChild.get();
      }
      if (c.getWorkflowExecutionInfo().getStatus()
          == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) {
        // No activity pending: a timer or a workflow task. The rollout's own status tells which.
        CanaryStatus status =
            client.newWorkflowStub(CanaryRolloutWorkflow.class, child.getWorkflowId()).status();
        if (status.phase() == CanaryPhase.BAKING) {
          return new Look(
              true,
              Stage.CANARY_BAKE,
              "step " + status.step() + " at " + status.canaryPercent() + " %");
        }
      }
    }
    return new Look(true, null, "between steps");
  }

  private static Optional<Look> pending(DescribeWorkflowExecutionResponse d, String where) {
    for (PendingActivityInfo a : d.getPendingActivitiesList()) {
      Stage stage = ACTIVITIES.get(a.getActivityType().getName());
      if (stage != null) {
        return Optional.of(
            new Look(
                true, stage, where + a.getActivityType().getName() + " attempt " + a.getAttempt()));
      }
    }
    return Optional.empty();
  }

  private DescribeWorkflowExecutionResponse describe(WorkflowExecution run) {
    return service
        .blockingStub()
        .withDeadlineAfter(5, TimeUnit.SECONDS)
        .describeWorkflowExecution(
            DescribeWorkflowExecutionRequest.newBuilder()
                .setNamespace("default")
                .setExecution(run)
                .build());
  }
}
