package dev.perennial.starter.ops;

import dev.perennial.workflows.pipeline.ContinuousTrainingResult;
import dev.perennial.workflows.pipeline.PipelineStatus;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowStub;
import java.util.Optional;

/** Where a model's latest pipeline run stands, as {@code perennial status} shows it. */
public final class RunStates {
  private RunStates() {}

  /**
   * A run's state.
   *
   * @param state the execution's state on the server
   * @param status its answer to the {@code status} query; null when it gave none
   * @param statusProblem why it gave none; null when it answered
   * @param result its result once completed
   * @param resultProblem why a completed run's result could not be read; null otherwise
   * @param failure how a run that is neither running nor completed ended; null otherwise
   */
  public record RunState(
      String workflowId,
      String workflowType,
      WorkflowExecutionStatus state,
      PipelineStatus status,
      String statusProblem,
      ContinuousTrainingResult result,
      RuntimeException resultProblem,
      RuntimeException failure) {}

  /**
   * The state of the model's latest run of {@code workflowType} (any pipeline type when null), as
   * {@link PipelineRuns#latest} finds it; empty when there is none.
   */
  public static Optional<RunState> latest(
      WorkflowClient client, String model, String workflowType) {
    Optional<PipelineRuns.Run> latest = PipelineRuns.latest(client, model, workflowType);
    if (latest.isEmpty()) {
      return Optional.empty();
    }
    String id = latest.get().workflowId();
    WorkflowStub untyped = client.newUntypedWorkflowStub(id);
    WorkflowExecutionStatus state;
    try {
      state = untyped.describe().getStatus();
    } catch (WorkflowNotFoundException e) {
      return Optional.empty();
    }
    PipelineStatus status = null;
    String statusProblem = null;
    try {
      status = RunProgress.status(untyped);
    } catch (RuntimeException e) {
      statusProblem = Causes.rootMessage(e);
    }
    ContinuousTrainingResult result = null;
    RuntimeException resultProblem = null;
    RuntimeException failure = null;
    if (state == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED) {
      try {
        result = untyped.getResult(ContinuousTrainingResult.class);
      } catch (RuntimeException e) {
        resultProblem = e;
      }
    } else if (state != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) {
      try {
        untyped.getResult(ContinuousTrainingResult.class);
      } catch (RuntimeException e) {
        failure = e;
      }
    }
    return Optional.of(
        new RunState(
            id,
            latest.get().workflowType(),
            state,
            status,
            statusProblem,
            result,
            resultProblem,
            failure));
  }
}
