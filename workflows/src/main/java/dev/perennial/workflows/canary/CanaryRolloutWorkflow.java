package dev.perennial.workflows.canary;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Rolls an approved version out against the champion step by step: shift traffic, bake on a durable
 * timer, compare canary and champion from the serving logs, then take the next step, roll back
 * (withdrawing the version) or promote. One per model at a time: the registry's traffic split has
 * one canary.
 */
@WorkflowInterface
public interface CanaryRolloutWorkflow {
  /** Stable workflow type name. */
  String TYPE = "CanaryRollout";

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
}
