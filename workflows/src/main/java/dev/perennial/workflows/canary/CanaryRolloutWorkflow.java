package dev.perennial.workflows.canary;

import dev.perennial.workflows.Instruction;
import dev.perennial.workflows.approval.ApprovalDecision;
import dev.perennial.workflows.approval.ApprovalRequest;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.UpdateMethod;
import io.temporal.workflow.UpdateValidatorMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Rolls an approved version out against the champion step by step: shift traffic, bake on a durable
 * timer, compare canary and champion from the serving logs, then take the next step, roll back
 * (withdrawing the version) or promote. One per model at a time: the registry's traffic split has
 * one canary.
 *
 * <p>People steer a rollout with messages that say who and why ({@link Instruction}, {@link
 * ApprovalRequest}): {@code pause-rollout}, {@code resume-rollout} and {@code abort-rollout}
 * signals, and {@code approve-rollout} and {@code promote-rollout-now} updates, whose callers learn
 * at once whether the rollout took them. The older bare-string signals ({@code pause}, {@code
 * approve}, ...) still work but name nobody in the audit.
 */
@WorkflowInterface
public interface CanaryRolloutWorkflow {
  /** Stable workflow type name. */
  String TYPE = "CanaryRollout";

  /** Message names, for clients. */
  String PAUSE = "pause-rollout";

  String RESUME = "resume-rollout";
  String ABORT = "abort-rollout";
  String APPROVE = "approve-rollout";
  String PROMOTE_NOW = "promote-rollout-now";

  /** One rollout per model at a time. */
  static String workflowId(String model) {
    return "canary-rollout-" + model;
  }

  @WorkflowMethod(name = TYPE)
  CanaryResult run(CanaryRolloutRequest request);

  @QueryMethod(
      name = "status",
      description = "Phase, step, traffic share and the latest analysis of the rollout")
  CanaryStatus status();

  @SignalMethod(
      name = "pause",
      description = "Hold at the current step (traffic stays); optional reason as a JSON string")
  void pause(String reason);

  @SignalMethod(name = "resume", description = "Continue after a pause; the step bakes afresh")
  void resume(String note);

  @SignalMethod(
      name = "approve",
      description = "Approve the final promotion (policy requireApproval); who approves as JSON")
  void approve(String who);

  @SignalMethod(
      name = "promote-now",
      description = "Skip the remaining steps and make the canary champion; reason as JSON")
  void promoteNow(String reason);

  @SignalMethod(
      name = "abort",
      description = "Traffic back to the champion, version kept approved; reason as JSON")
  void abort(String reason);

  @SignalMethod(
      name = PAUSE,
      description =
          "Hold at the current step (traffic stays): {\"by\":\"alice\",\"reason\":\"...\"}")
  void pauseRollout(Instruction instruction);

  @SignalMethod(
      name = RESUME,
      description = "Continue after a pause; the step bakes afresh: {\"by\":\"alice\"}")
  void resumeRollout(Instruction instruction);

  @SignalMethod(
      name = ABORT,
      description =
          "Traffic back to the champion, version kept approved: {\"by\":\"bob\",\"reason\":\"...\"}")
  void abortRollout(Instruction instruction);

  @UpdateMethod(
      name = APPROVE,
      description =
          "Approve the final promotion (policy requireApproval): {\"by\":\"alice\",\"note\":\"...\"}")
  ApprovalDecision approveRollout(ApprovalRequest request);

  @UpdateValidatorMethod(updateName = APPROVE)
  void validateApproveRollout(ApprovalRequest request);

  @UpdateMethod(
      name = PROMOTE_NOW,
      description =
          "Skip the remaining steps and make the canary champion: {\"by\":\"alice\",\"reason\":\"...\"}")
  Instruction promoteRolloutNow(Instruction instruction);

  @UpdateValidatorMethod(updateName = PROMOTE_NOW)
  void validatePromoteRolloutNow(Instruction instruction);
}
