package dev.perennial.workflows.approval;

import io.temporal.workflow.UpdateMethod;
import io.temporal.workflow.UpdateValidatorMethod;

/**
 * The human-approval messages of a pipeline: extend this from your workflow interface to accept
 * {@code approve} and {@code reject} updates (from {@code perennial approve}/{@code reject}, the
 * Temporal UI or any client). Updates, not signals: the caller learns at once whether its decision
 * was taken, and a decision for a run that is not waiting is refused by the validator without
 * touching the history.
 *
 * <p>{@link dev.perennial.workflows.pipeline.PipelineWorkflow} implements these methods over its
 * {@link Approval}.
 */
public interface Approvable {
  /** Update name, for clients. */
  String APPROVE = "approve";

  /** Update name, for clients. */
  String REJECT = "reject";

  @UpdateMethod(
      name = APPROVE,
      description = "Approve the version waiting for approval: {\"by\":\"alice\",\"note\":\"...\"}")
  ApprovalDecision approve(ApprovalRequest request);

  @UpdateValidatorMethod(updateName = APPROVE)
  void validateApprove(ApprovalRequest request);

  @UpdateMethod(
      name = REJECT,
      description = "Refuse the version waiting for approval: {\"by\":\"bob\",\"note\":\"...\"}")
  ApprovalDecision reject(ApprovalRequest request);

  @UpdateValidatorMethod(updateName = REJECT)
  void validateReject(ApprovalRequest request);
}
