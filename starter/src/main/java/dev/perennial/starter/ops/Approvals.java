package dev.perennial.starter.ops;

import dev.perennial.workflows.approval.Approvable;
import dev.perennial.workflows.approval.ApprovalDecision;
import dev.perennial.workflows.approval.ApprovalRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowUpdateException;
import java.util.List;

/**
 * Approving or rejecting the version a pipeline run waits to promote: the {@code approve} or {@code
 * reject} update of {@link Approvable}, sent to the model's one waiting run.
 */
public final class Approvals {
  private Approvals() {}

  /** What {@link #decide} did. */
  public sealed interface Outcome
      permits Unsearchable, NoneWaiting, SeveralWaiting, NoSuchRun, Refused, Decided {}

  /** The server cannot search runs by stage: the run must be named. */
  public record Unsearchable() implements Outcome {}

  /** No run of the model waits for approval. */
  public record NoneWaiting() implements Outcome {}

  /** More than one run waits: one must be named. */
  public record SeveralWaiting(List<PipelineRuns.Run> runs) implements Outcome {}

  /** The named run does not exist. */
  public record NoSuchRun(String workflowId) implements Outcome {}

  /** The run refused the update, saying why. */
  public record Refused(String workflowId, String reason) implements Outcome {}

  /**
   * The run took the decision.
   *
   * @param workflowType the run's type, null when the server no longer describes it
   */
  public record Decided(String workflowId, String workflowType, ApprovalDecision decision)
      implements Outcome {}

  /**
   * Sends {@code update} ({@link Approvable#APPROVE} or {@link Approvable#REJECT}) to the model's
   * waiting run, or to {@code workflowId} when given.
   */
  public static Outcome decide(
      WorkflowClient client,
      String update,
      String model,
      String workflowId,
      ApprovalRequest request) {
    String id = workflowId;
    if (id == null) {
      List<PipelineRuns.Run> waiting = PipelineRuns.awaitingApproval(client, model);
      if (waiting == null) {
        return new Unsearchable();
      }
      if (waiting.isEmpty()) {
        return new NoneWaiting();
      }
      if (waiting.size() > 1) {
        return new SeveralWaiting(List.copyOf(waiting));
      }
      id = waiting.get(0).workflowId();
    } else if (PipelineRuns.describe(client, id).isEmpty()) {
      return new NoSuchRun(id);
    }
    ApprovalDecision decision;
    try {
      decision = client.newUntypedWorkflowStub(id).update(update, ApprovalDecision.class, request);
    } catch (WorkflowUpdateException e) {
      return new Refused(id, Causes.rootMessage(e));
    }
    String type = PipelineRuns.describe(client, id).map(d -> d.getWorkflowType()).orElse(null);
    return new Decided(id, type, decision);
  }
}
