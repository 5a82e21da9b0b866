package dev.perennial.starter.ops;

import dev.perennial.workflows.PerennialSearchAttributes;
import dev.perennial.workflows.TaskQueues;
import dev.perennial.workflows.canary.CanaryRolloutWorkflow;
import dev.perennial.workflows.drift.DriftMonitorWorkflow;
import dev.perennial.workflows.pipeline.ContinuousTrainingWorkflow;
import dev.perennial.workflows.pipeline.PerennialPipeline;
import dev.perennial.workflows.pipeline.Stage;
import dev.perennial.workflows.rollback.RollbackWorkflow;
import dev.perennial.workflows.scoring.BatchScoringWorkflow;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.enums.v1.WorkflowIdConflictPolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowExecutionDescription;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Runs of any pipeline type (a workflow whose interface extends {@link PerennialPipeline}): started
 * and found by workflow type name and untyped stubs, so a user's own pipeline is handled like
 * {@code ContinuousTraining}. {@link RunProgress} follows them, {@link RunStates} reads them.
 */
public final class PipelineRuns {
  /** Workflow types that set {@code PerennialModel} but are no pipeline. */
  public static final List<String> NOT_PIPELINES =
      List.of(
          CanaryRolloutWorkflow.TYPE,
          DriftMonitorWorkflow.TYPE,
          RollbackWorkflow.TYPE,
          BatchScoringWorkflow.TYPE);

  private PipelineRuns() {}

  /** The id a run gets unless {@code --workflow-id} says otherwise. */
  public static String workflowId(String workflowType, String model) {
    return PerennialPipeline.workflowId(workflowType, model);
  }

  /** What {@link #start} did. */
  public sealed interface StartResult permits Started, AlreadyRunning {}

  /** The run started under {@code workflowId} as {@code runId}. */
  public record Started(String workflowId, String runId) implements StartResult {}

  /** A run under {@code workflowId} is open already: nothing was started. */
  public record AlreadyRunning(String workflowId) implements StartResult {}

  /**
   * Starts a run of {@code workflowType} under {@code workflowId} with {@code input} as its one
   * argument, on the pipelines' task queue; refused when a run with that id is open.
   */
  public static StartResult start(
      WorkflowClient client, String workflowType, String workflowId, Object input) {
    WorkflowStub stub =
        client.newUntypedWorkflowStub(
            workflowType,
            WorkflowOptions.newBuilder()
                .setWorkflowId(workflowId)
                .setTaskQueue(TaskQueues.PIPELINES)
                .setWorkflowIdConflictPolicy(
                    WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_FAIL)
                .build());
    try {
      return new Started(workflowId, stub.start(input).getRunId());
    } catch (WorkflowExecutionAlreadyStarted e) {
      return new AlreadyRunning(workflowId);
    }
  }

  /** A run the server knows: its id and type. */
  public record Run(String workflowId, String workflowType) {}

  /**
   * The model's latest run of {@code workflowType} (any pipeline type when null), asked of the
   * server's visibility store, which also knows scheduled runs, whose ids carry their time; where
   * the server cannot search by search attribute (the Java test server), the run under the
   * conventional id of the type ({@code ContinuousTraining} when none is given), if there is one.
   */
  public static Optional<Run> latest(WorkflowClient client, String model, String workflowType) {
    String query = modelIs(model) + " AND " + typeClause(workflowType);
    List<Run> found;
    try {
      found = search(client, query, 1);
    } catch (RuntimeException e) {
      if (unreachable(e)) {
        throw e;
      }
      // The Java test server cannot filter by search attributes.
      String id =
          workflowId(workflowType == null ? ContinuousTrainingWorkflow.TYPE : workflowType, model);
      return describe(client, id)
          .map(d -> new Run(d.getExecution().getWorkflowId(), d.getWorkflowType()));
    }
    return found.stream().findFirst();
  }

  /**
   * The model's runs that wait for approval now; null when the server cannot search by search
   * attribute (then the caller asks for {@code --workflow-id}).
   */
  public static List<Run> awaitingApproval(WorkflowClient client, String model) {
    String query =
        modelIs(model)
            + " AND "
            + PerennialSearchAttributes.STAGE.getName()
            + "='"
            + Stage.AWAITING_APPROVAL.name()
            + "' AND ExecutionStatus='Running'";
    try {
      return search(client, query, 20);
    } catch (RuntimeException e) {
      if (unreachable(e)) {
        throw e;
      }
      return null;
    }
  }

  /** A workflow type name as the commands accept it: letters, digits, '_', '-', '.'. */
  public static List<String> typeProblems(String option, String workflowType) {
    if (workflowType == null || workflowType.matches("[A-Za-z][A-Za-z0-9_.-]{0,199}")) {
      return List.of();
    }
    return List.of(
        option
            + ": '"
            + workflowType
            + "' is no workflow type name (letters, digits, '_', '-', '.'; e.g. "
            + ContinuousTrainingWorkflow.TYPE
            + ")");
  }

  private static boolean unreachable(Throwable e) {
    StatusRuntimeException grpc = Causes.find(e, StatusRuntimeException.class);
    return grpc != null
        && (grpc.getStatus().getCode() == Status.Code.UNAVAILABLE
            || grpc.getStatus().getCode() == Status.Code.DEADLINE_EXCEEDED);
  }

  /** The run's description, empty when the server knows no run with that id. */
  public static Optional<WorkflowExecutionDescription> describe(WorkflowClient client, String id) {
    try {
      return Optional.of(client.newUntypedWorkflowStub(id).describe());
    } catch (WorkflowNotFoundException e) {
      return Optional.empty();
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
        return Optional.empty();
      }
      throw e;
    }
  }

  private static List<Run> search(WorkflowClient client, String query, int limit) {
    return client
        .listExecutions(query)
        .limit(limit)
        .map(r -> new Run(r.getExecution().getWorkflowId(), r.getWorkflowType()))
        .collect(Collectors.toList());
  }

  private static String modelIs(String model) {
    return PerennialSearchAttributes.MODEL.getName() + "='" + model + "'";
  }

  private static String typeClause(String workflowType) {
    if (workflowType != null) {
      return "WorkflowType='" + workflowType + "'";
    }
    return NOT_PIPELINES.stream()
        .map(t -> "WorkflowType!='" + t + "'")
        .collect(Collectors.joining(" AND "));
  }
}
