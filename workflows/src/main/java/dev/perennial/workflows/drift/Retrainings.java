package dev.perennial.workflows.drift;

import dev.perennial.workflows.FailureTypes;
import dev.perennial.workflows.TaskQueues;
import dev.perennial.workflows.pipeline.ContinuousTrainingRequest;
import dev.perennial.workflows.pipeline.ContinuousTrainingResult;
import dev.perennial.workflows.pipeline.PerennialPipeline;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.ParentClosePolicy;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.ChildWorkflowStub;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Instant;
import org.slf4j.Logger;

/**
 * Starts the monitor's pipeline ({@code ContinuousTraining} by default) for a breaching report,
 * unless the cooldown holds or a run for the model is already open.
 */
final class Retrainings {
  private static final Logger log = Workflow.getLogger(Retrainings.class);

  private final String model;
  private final String pipelineType;
  private final ContinuousTrainingRequest retraining;
  private final DriftPolicy policy;

  Retrainings(
      String model, String pipelineType, ContinuousTrainingRequest retraining, DriftPolicy policy) {
    this.model = model;
    this.pipelineType = pipelineType;
    this.retraining = retraining;
    this.policy = policy;
  }

  /** What starting a retraining did, for the check's record, and the state after it. */
  record Started(String action, DriftMonitorState state) {}

  /** Starts a retraining for {@code report} unless one may not start now. */
  Started start(DriftReport report, DriftMonitorState state, DriftProgress progress) {
    Instant now = Instant.ofEpochMilli(Workflow.currentTimeMillis());
    if (state.lastRetrainingAt() != null) {
      Instant until = Instant.parse(state.lastRetrainingAt()).plus(policy.quiet());
      if (now.isBefore(until)) {
        return new Started("cooldown until " + until, state);
      }
    }
    // The default type's id is ContinuousTrainingWorkflow.workflowId(model), as before.
    String id = PerennialPipeline.workflowId(pipelineType, model);
    String why =
        "drift in "
            + report.from()
            + " to "
            + report.to()
            + ": "
            + String.join("; ", report.decision().reasons());
    progress.enter(DriftPhase.STARTING_RETRAINING, "starting retraining " + id + ": " + why);
    // Untyped, by type name: the same StartChildWorkflowExecution command the typed stub of
    // ContinuousTraining made, so recorded monitors replay without a version marker.
    ChildWorkflowStub child =
        Workflow.newUntypedChildWorkflowStub(
            pipelineType,
            ChildWorkflowOptions.newBuilder()
                .setWorkflowId(id)
                .setTaskQueue(TaskQueues.PIPELINES)
                // The retraining outlives this run: it continues as new, or is stopped, meanwhile.
                .setParentClosePolicy(ParentClosePolicy.PARENT_CLOSE_POLICY_ABANDON)
                .build());
    Promise<ContinuousTrainingResult> result =
        child.executeAsync(
            ContinuousTrainingResult.class, retraining.forDrift(model, report.link(), why));
    WorkflowExecution started;
    try {
      started = child.getExecution().get();
    } catch (ChildWorkflowFailure e) {
      if (e.getCause() instanceof WorkflowExecutionAlreadyStarted) {
        return new Started("retraining already running: " + id, state);
      }
      return new Started("retraining not started: " + FailureTypes.innermostMessage(e), state);
    }
    String run = id + "/" + started.getRunId();
    result.handle(
        (r, failure) -> {
          // Only seen while this run lasts; the retraining's own history is the record.
          log.info(
              "drift retraining {} ended: {}",
              run,
              failure == null ? r.message() : failure.getMessage());
          return null;
        });
    String at = Instant.ofEpochMilli(Workflow.currentTimeMillis()).toString();
    return new Started("started retraining " + run, state.withRetraining(at, run));
  }
}
