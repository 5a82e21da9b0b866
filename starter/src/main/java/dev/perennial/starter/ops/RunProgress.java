package dev.perennial.starter.ops;

import dev.perennial.workflows.pipeline.ContinuousTrainingResult;
import dev.perennial.workflows.pipeline.PerennialPipeline;
import dev.perennial.workflows.pipeline.PipelineStatus;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowQueryException;
import io.temporal.client.WorkflowStub;
import io.temporal.common.converter.DataConverterException;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Follows a pipeline run (any type with the {@code status} query of {@link PerennialPipeline}) to
 * its result.
 */
public final class RunProgress {
  private RunProgress() {}

  /** What a follower learns while the run is open. */
  public sealed interface Progress permits Reported, Unanswered {}

  /** The run answered its {@code status} query. */
  public record Reported(PipelineStatus status) implements Progress {}

  /**
   * The run did not answer its {@code status} query: no worker knows the type yet, or its status is
   * not a {@link PipelineStatus}.
   */
  public record Unanswered(String reason) implements Progress {}

  /**
   * Polls the run twice a second and hands {@code progress} each change, until it closes; returns
   * its result (throws {@code WorkflowFailedException} when it failed).
   */
  public static ContinuousTrainingResult follow(
      WorkflowClient client, String workflowId, Consumer<Progress> progress) {
    WorkflowStub untyped = client.newUntypedWorkflowStub(workflowId);
    Progress last = null;
    while (true) {
      WorkflowExecutionStatus state = untyped.describe().getStatus();
      if (state != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) {
        return untyped.getResult(ContinuousTrainingResult.class);
      }
      Progress now;
      try {
        now = new Reported(status(untyped));
      } catch (WorkflowQueryException | DataConverterException e) {
        now = new Unanswered(Causes.rootMessage(e));
      }
      if (!Objects.equals(now, last)) {
        progress.accept(now);
        last = now;
      }
      sleep(500);
    }
  }

  /** The run's answer to the {@code status} query every pipeline has. */
  public static PipelineStatus status(WorkflowStub run) {
    return run.query(PerennialPipeline.STATUS, PipelineStatus.class);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
