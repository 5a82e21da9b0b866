package dev.perennial.workflows.pipeline;

import dev.perennial.workflows.FailureTypes;
import dev.perennial.workflows.TaskQueues;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.ParentClosePolicy;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.ChildWorkflowStub;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import org.slf4j.Logger;

/**
 * Starts a model's retraining from workflow code, at most one at a time per model and pipeline
 * type: the building block the drift monitor and the data watch start their pipeline with, usable
 * from a user's own long-running workflow the same way.
 *
 * <pre>{@code
 * switch (Retraining.start("ContinuousTraining", request)) {
 *   case Retraining.Started s -> log.info("started {}", s.run());
 *   case Retraining.AlreadyRunning r -> log.info("{} is open, nothing started", r.workflowId());
 *   case Retraining.NotStarted n -> log.warn("not started: {}", n.reason());
 * }
 * }</pre>
 *
 * <p>The run gets the id {@link PerennialPipeline#workflowId(String, String)}, so the server
 * refuses a second start while any run of that pipeline for the model is open, whoever started it.
 * It is a child with {@code ABANDON}: it outlives the starting run, which may continue as new or be
 * stopped meanwhile.
 */
public final class Retraining {
  private static final Logger log = Workflow.getLogger(Retraining.class);

  private Retraining() {}

  /** What {@link #start} did. */
  public sealed interface Start permits Started, AlreadyRunning, NotStarted {}

  /**
   * The retraining started.
   *
   * @param workflowId its workflow id
   * @param runId its run id
   */
  public record Started(String workflowId, String runId) implements Start {
    /** {@code workflowId/runId}. */
    public String run() {
      return workflowId + "/" + runId;
    }
  }

  /** A run with that id is open already (whoever started it); nothing was started. */
  public record AlreadyRunning(String workflowId) implements Start {}

  /** The server refused the start for another reason, in its own words. */
  public record NotStarted(String reason) implements Start {}

  /**
   * Starts {@code pipelineType} (any workflow type on {@link TaskQueues#PIPELINES} taking a {@link
   * ContinuousTrainingRequest}) for {@code request.model()} and waits only until it has started.
   */
  public static Start start(String pipelineType, ContinuousTrainingRequest request) {
    String id = PerennialPipeline.workflowId(pipelineType, request.model());
    // Untyped, by type name: the same StartChildWorkflowExecution command the typed stub of
    // ContinuousTraining made, so recorded monitors replay without a version marker.
    ChildWorkflowStub child =
        Workflow.newUntypedChildWorkflowStub(
            pipelineType,
            ChildWorkflowOptions.newBuilder()
                .setWorkflowId(id)
                .setTaskQueue(TaskQueues.PIPELINES)
                .setParentClosePolicy(ParentClosePolicy.PARENT_CLOSE_POLICY_ABANDON)
                .build());
    Promise<ContinuousTrainingResult> result =
        child.executeAsync(ContinuousTrainingResult.class, request);
    WorkflowExecution started;
    try {
      started = child.getExecution().get();
    } catch (ChildWorkflowFailure e) {
      if (e.getCause() instanceof WorkflowExecutionAlreadyStarted) {
        return new AlreadyRunning(id);
      }
      return new NotStarted(FailureTypes.innermostMessage(e));
    }
    String run = id + "/" + started.getRunId();
    result.handle(
        (r, failure) -> {
          // Only seen while the starting run lasts; the retraining's own history is the record.
          log.info(
              "retraining {} ended: {}", run, failure == null ? r.message() : failure.getMessage());
          return null;
        });
    return new Started(id, started.getRunId());
  }
}
