package dev.perennial.starter.ops;

import dev.perennial.core.dataset.DataPartitions;
import dev.perennial.core.dataset.InvalidDatasetException;
import dev.perennial.core.store.ObjectStore;
import dev.perennial.workflows.Instruction;
import dev.perennial.workflows.PerennialSearchAttributes;
import dev.perennial.workflows.TaskQueues;
import dev.perennial.workflows.watch.DataWatchPolicy;
import dev.perennial.workflows.watch.DataWatchRequest;
import dev.perennial.workflows.watch.DataWatchResult;
import dev.perennial.workflows.watch.DataWatchState;
import dev.perennial.workflows.watch.DataWatchStatus;
import dev.perennial.workflows.watch.DataWatchWorkflow;
import dev.perennial.workflows.watch.PartitionListing;
import dev.perennial.workflows.watch.PartitionQuery;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.enums.v1.WorkflowIdConflictPolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowException;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowExecutionDescription;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.common.SearchAttributes;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A model's DataWatch workflow (workflow id {@code data-watch-<model>}): start it, find its latest
 * run, make it list now, stop it. Failures the caller can act on are results; anything else (an
 * unreachable server) is thrown as the Temporal client throws it.
 */
public final class Watches {
  /** How long the command line waits for a watch to close after {@code stop}. */
  public static final Duration STOP_WAIT = Duration.ofSeconds(30);

  private Watches() {}

  /**
   * A model's latest watch run as the server knows it.
   *
   * @param workflowId its workflow id
   * @param runId its run id
   * @param execution open or how it closed
   * @param status its {@code status} query's answer; null when it did not answer or was not asked
   * @param result its result when it completed (stopped), else null
   * @param unanswered why the status query failed, null when it answered or was not asked
   */
  public record Watch(
      String workflowId,
      String runId,
      WorkflowExecutionStatus execution,
      DataWatchStatus status,
      DataWatchResult result,
      String unanswered) {

    public boolean running() {
      return execution == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING;
    }

    /** RUNNING, COMPLETED, FAILED, ... */
    public String state() {
      return execution.name().replace("WORKFLOW_EXECUTION_STATUS_", "");
    }

    /** What it saw and started: from the query, else from its result; null if neither. */
    public DataWatchState watched() {
      if (status != null) {
        return status.state();
      }
      return result == null ? null : result.state();
    }
  }

  /** What {@link #start} did. */
  public sealed interface StartResult permits Started, AlreadyRunning, NoData {}

  /**
   * The watch started; {@code policy} is the one it runs with, defaults filled in, and {@code
   * listing} what the prefix held at the start.
   */
  public record Started(
      String workflowId, String runId, DataWatchPolicy policy, PartitionListing listing)
      implements StartResult {}

  /** A watch of the model runs already (run {@code runId}); nothing was started. */
  public record AlreadyRunning(String runId) implements StartResult {}

  /** The prefix holds no model's data, in the listing's words; nothing was started. */
  public record NoData(String reason) implements StartResult {}

  /** What {@link #stop} did. */
  public sealed interface StopResult permits Stopped, StillOpen, NotRunning {}

  /** The watch closed with {@code result}. */
  public record Stopped(String workflowId, DataWatchResult result) implements StopResult {}

  /** The watch took no stop within {@code waited}: no worker took the signal yet. */
  public record StillOpen(String workflowId, Duration waited) implements StopResult {}

  /** What {@link #checkNow} did. */
  public sealed interface CheckResult permits Asked, Refused, NotRunning {}

  /** The watch took the check. */
  public record Asked(String workflowId) implements CheckResult {}

  /** The watch's validator refused the check, saying why. */
  public record Refused(String reason) implements CheckResult {}

  /** No watch of {@code model} runs; {@code last} is its latest run, null when none ever ran. */
  public record NotRunning(String model, Watch last) implements StopResult, CheckResult {}

  /**
   * Starts the model's watch with {@code request}, which the caller has checked, after listing its
   * prefix in {@code store} (the watch would fail at its first check on an unknown one); at most
   * one runs per model.
   */
  public static StartResult start(
      WorkflowClient client, ObjectStore store, DataWatchRequest request) {
    PartitionListing listing;
    try {
      listing =
          new DataPartitions(store)
              .list(
                  new PartitionQuery(
                      request.bucketOrDefault(), request.prefixOrDefault(), request.since()));
    } catch (InvalidDatasetException e) {
      return new NoData(e.getMessage());
    }
    String model = request.model();
    String id = DataWatchWorkflow.workflowId(model);
    DataWatchWorkflow watch =
        client.newWorkflowStub(
            DataWatchWorkflow.class,
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
    try {
      String runId = WorkflowClient.start(watch::run, request).getRunId();
      return new Started(id, runId, request.policyOrDefaults(), listing);
    } catch (WorkflowExecutionAlreadyStarted e) {
      return new AlreadyRunning(e.getExecution().getRunId());
    }
  }

  /**
   * The model's latest watch, empty when none ever ran. A stopped (completed) one gives its result;
   * any other is asked its {@code status} query.
   */
  public static Optional<Watch> find(WorkflowClient client, String model) {
    String id = DataWatchWorkflow.workflowId(model);
    DataWatchWorkflow typed = client.newWorkflowStub(DataWatchWorkflow.class, id);
    Optional<WorkflowExecutionDescription> description = PipelineRuns.describe(client, id);
    if (description.isEmpty()) {
      return Optional.empty();
    }
    WorkflowExecutionStatus execution = description.get().getStatus();
    String runId = description.get().getExecution().getRunId();
    if (execution == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED) {
      DataWatchResult result = WorkflowStub.fromTyped(typed).getResult(DataWatchResult.class);
      return Optional.of(new Watch(id, runId, execution, null, result, null));
    }
    try {
      return Optional.of(new Watch(id, runId, execution, typed.status(), null, null));
    } catch (WorkflowException e) {
      String why = e.getCause() != null ? e.getCause().getMessage() : e.getMessage();
      return Optional.of(new Watch(id, runId, execution, null, null, why));
    }
  }

  /** Signals {@code stop} to the model's running watch and waits up to {@code wait} for it. */
  public static StopResult stop(WorkflowClient client, String model, String reason, Duration wait) {
    String id = DataWatchWorkflow.workflowId(model);
    NotRunning notRunning = notRunning(client, model);
    if (notRunning != null) {
      return notRunning;
    }
    DataWatchWorkflow typed = client.newWorkflowStub(DataWatchWorkflow.class, id);
    typed.stop(reason);
    try {
      return new Stopped(
          id,
          WorkflowStub.fromTyped(typed)
              .getResult(wait.toMillis(), TimeUnit.MILLISECONDS, DataWatchResult.class));
    } catch (TimeoutException e) {
      return new StillOpen(id, wait);
    }
  }

  /** Asks the model's running watch, through its {@code check} update, to list now. */
  public static CheckResult checkNow(WorkflowClient client, String model, Instruction instruction) {
    String id = DataWatchWorkflow.workflowId(model);
    NotRunning notRunning = notRunning(client, model);
    if (notRunning != null) {
      return notRunning;
    }
    try {
      client.newWorkflowStub(DataWatchWorkflow.class, id).check(instruction);
    } catch (WorkflowUpdateException e) {
      return new Refused(Causes.rootMessage(e));
    }
    return new Asked(id);
  }

  /** Why the model's watch does not run; null when it runs. Asks the watch nothing. */
  private static NotRunning notRunning(WorkflowClient client, String model) {
    String id = DataWatchWorkflow.workflowId(model);
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
        new Watch(id, description.get().getExecution().getRunId(), execution, null, null, null));
  }
}
