package dev.perennial.starter.ops;

import dev.perennial.workflows.Instruction;
import dev.perennial.workflows.PerennialSearchAttributes;
import dev.perennial.workflows.TaskQueues;
import dev.perennial.workflows.drift.DriftMonitorRequest;
import dev.perennial.workflows.drift.DriftMonitorResult;
import dev.perennial.workflows.drift.DriftMonitorState;
import dev.perennial.workflows.drift.DriftMonitorStatus;
import dev.perennial.workflows.drift.DriftMonitorWorkflow;
import dev.perennial.workflows.drift.DriftPolicy;
import io.grpc.StatusRuntimeException;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.enums.v1.WorkflowIdConflictPolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowException;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowExecutionDescription;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowServiceException;
import io.temporal.client.WorkflowStub;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.common.SearchAttributes;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A model's DriftMonitor workflow (workflow id {@code drift-monitor-<model>}): start it, find its
 * latest run, make it measure now, stop it. Failures the caller can act on are results; anything
 * else (an unreachable server) is thrown as the Temporal client throws it.
 */
public final class Monitors {
  /** How long the command line and the demo wait for a monitor to close after {@code stop}. */
  public static final Duration STOP_WAIT = Duration.ofSeconds(30);

  private Monitors() {}

  /**
   * A model's latest monitor run as the server knows it.
   *
   * @param workflowId its workflow id
   * @param runId its run id
   * @param execution open or how it closed
   * @param status its {@code status} query's answer; null when it did not answer or was not asked
   * @param result its result when it completed (stopped), else null
   * @param unanswered why the status query failed, null when it answered or was not asked
   */
  public record Monitor(
      String workflowId,
      String runId,
      WorkflowExecutionStatus execution,
      DriftMonitorStatus status,
      DriftMonitorResult result,
      String unanswered) {

    public boolean running() {
      return execution == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING;
    }

    /** RUNNING, COMPLETED, TERMINATED, ... */
    public String state() {
      return execution.name().replace("WORKFLOW_EXECUTION_STATUS_", "");
    }

    /** What it measured and started: from the query, else from its result; null if neither. */
    public DriftMonitorState drift() {
      if (status != null) {
        return status.state();
      }
      return result == null ? null : result.state();
    }
  }

  /** What {@link #start} did. */
  public sealed interface StartResult permits Started, AlreadyRunning, MissingSearchAttribute {}

  /** The monitor started; {@code policy} is the one it runs with, defaults filled in. */
  public record Started(String workflowId, String runId, DriftPolicy policy)
      implements StartResult {}

  /** A monitor of the model runs already (run {@code runId}); nothing was started. */
  public record AlreadyRunning(String runId) implements StartResult {}

  /** The namespace does not know the search attribute {@code name}; nothing was started. */
  public record MissingSearchAttribute(String name) implements StartResult {}

  /** What {@link #stop} did. */
  public sealed interface StopResult permits Stopped, StillOpen, NotRunning {}

  /** The monitor closed with {@code result}. */
  public record Stopped(String workflowId, DriftMonitorResult result) implements StopResult {}

  /** The monitor took no stop within {@code waited}: no worker took the signal yet. */
  public record StillOpen(String workflowId, Duration waited) implements StopResult {}

  /** What {@link #checkNow} did. */
  public sealed interface CheckResult permits Asked, Refused, NotRunning {}

  /** The monitor took the check. */
  public record Asked(String workflowId) implements CheckResult {}

  /** The monitor's validator refused the check (e.g. one is already asked for), saying why. */
  public record Refused(String reason) implements CheckResult {}

  /**
   * No monitor of {@code model} runs; nothing was sent. {@code last} is its latest run (not asked
   * anything), null when none ever ran.
   */
  public record NotRunning(String model, Monitor last) implements StopResult, CheckResult {}

  /**
   * Starts the model's monitor with {@code request}, which the caller has checked; at most one runs
   * per model.
   */
  public static StartResult start(WorkflowClient client, DriftMonitorRequest request) {
    String model = request.model();
    String id = DriftMonitorWorkflow.workflowId(model);
    DriftMonitorWorkflow monitor =
        client.newWorkflowStub(
            DriftMonitorWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId(id)
                .setTaskQueue(TaskQueues.PIPELINES)
                .setWorkflowIdConflictPolicy(
                    WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_FAIL)
                .setTypedSearchAttributes(
                    SearchAttributes.newBuilder()
                        .set(PerennialSearchAttributes.MODEL, model)
                        .build())
                .build());
    String runId;
    try {
      runId = WorkflowClient.start(monitor::run, request).getRunId();
    } catch (WorkflowExecutionAlreadyStarted e) {
      return new AlreadyRunning(e.getExecution().getRunId());
    } catch (WorkflowServiceException e) {
      StatusRuntimeException grpc = Causes.find(e, StatusRuntimeException.class);
      String attribute = PerennialSearchAttributes.MODEL.getName();
      if (grpc != null
          && grpc.getStatus().getCode() == io.grpc.Status.Code.INVALID_ARGUMENT
          && String.valueOf(grpc.getStatus().getDescription()).contains(attribute)) {
        return new MissingSearchAttribute(attribute);
      }
      throw e;
    }
    DriftPolicy policy =
        request.policy() == null ? DriftPolicy.defaults() : request.policy().withDefaults();
    return new Started(id, runId, policy);
  }

  /**
   * The model's latest monitor, empty when none ever ran. A running one is asked its {@code status}
   * query; a stopped (completed) one gives its result, which holds the same state and needs no
   * worker; one that closed otherwise (terminated, failed) is queried, which a worker answers by
   * replaying its history.
   */
  public static Optional<Monitor> find(WorkflowClient client, String model) {
    String id = DriftMonitorWorkflow.workflowId(model);
    DriftMonitorWorkflow typed = client.newWorkflowStub(DriftMonitorWorkflow.class, id);
    WorkflowStub untyped = WorkflowStub.fromTyped(typed);
    Optional<WorkflowExecutionDescription> description = PipelineRuns.describe(client, id);
    if (description.isEmpty()) {
      return Optional.empty();
    }
    WorkflowExecutionStatus execution = description.get().getStatus();
    String runId = description.get().getExecution().getRunId();
    if (execution == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED) {
      return Optional.of(
          new Monitor(
              id, runId, execution, null, untyped.getResult(DriftMonitorResult.class), null));
    }
    try {
      return Optional.of(new Monitor(id, runId, execution, typed.status(), null, null));
    } catch (WorkflowException e) {
      String why = e.getCause() != null ? e.getCause().getMessage() : e.getMessage();
      return Optional.of(new Monitor(id, runId, execution, null, null, why));
    }
  }

  /**
   * Signals {@code stop} to the model's running monitor and waits up to {@code wait} for it to
   * close.
   */
  public static StopResult stop(WorkflowClient client, String model, String reason, Duration wait) {
    String id = DriftMonitorWorkflow.workflowId(model);
    DriftMonitorWorkflow typed = client.newWorkflowStub(DriftMonitorWorkflow.class, id);
    NotRunning notRunning = notRunning(client, model);
    if (notRunning != null) {
      return notRunning;
    }
    typed.stop(reason);
    try {
      return new Stopped(
          id,
          WorkflowStub.fromTyped(typed)
              .getResult(wait.toMillis(), TimeUnit.MILLISECONDS, DriftMonitorResult.class));
    } catch (TimeoutException e) {
      return new StillOpen(id, wait);
    }
  }

  /** Asks the model's running monitor, through its {@code check} update, to measure now. */
  public static CheckResult checkNow(WorkflowClient client, String model, Instruction instruction) {
    String id = DriftMonitorWorkflow.workflowId(model);
    DriftMonitorWorkflow typed = client.newWorkflowStub(DriftMonitorWorkflow.class, id);
    NotRunning notRunning = notRunning(client, model);
    if (notRunning != null) {
      return notRunning;
    }
    try {
      typed.check(instruction);
    } catch (WorkflowUpdateException e) {
      return new Refused(Causes.rootMessage(e));
    }
    return new Asked(id);
  }

  /** Why the model's monitor does not run; null when it runs. Asks the monitor nothing. */
  private static NotRunning notRunning(WorkflowClient client, String model) {
    String id = DriftMonitorWorkflow.workflowId(model);
    Optional<WorkflowExecutionDescription> description = PipelineRuns.describe(client, id);
    if (description.isEmpty()) {
      return new NotRunning(model, null);
    }
    WorkflowExecutionStatus execution = description.get().getStatus();
    if (execution == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) {
      return null;
    }
    return new NotRunning(
        model,
        new Monitor(id, description.get().getExecution().getRunId(), execution, null, null, null));
  }
}
