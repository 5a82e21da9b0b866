package dev.perennial.workflows.canary;

import dev.perennial.workflows.Instruction;
import dev.perennial.workflows.approval.ApprovalDecision;
import dev.perennial.workflows.approval.ApprovalRequest;

/**
 * The rollout's message handlers: every signal and update goes to the run's {@link RolloutControl},
 * the status query reads its {@link CanaryProgress}. The older bare-string signals stay for runs
 * that may still receive them; they name nobody.
 */
abstract class RolloutMessages implements CanaryRolloutWorkflow {
  final RolloutControl control = new RolloutControl();
  final CanaryProgress progress = new CanaryProgress();

  /** Known from the input, so the approve validator can answer before the body runs. */
  private final boolean requiresApproval;

  RolloutMessages(CanaryRolloutRequest request) {
    requiresApproval =
        request != null
            && request.problems().isEmpty()
            && request.withDefaults().policy().requireApproval();
  }

  @Override
  public CanaryStatus status() {
    return progress.status(control.paused(), control.approved());
  }

  @Override
  public void pause(String reason) {
    control.pause(Instruction.unsigned(reason));
  }

  @Override
  public void resume(String note) {
    control.resume(Instruction.unsigned(note));
  }

  @Override
  public void approve(String who) {
    control.approveUnsigned();
  }

  @Override
  public void promoteNow(String reason) {
    control.promoteNow(Instruction.unsigned(reason));
  }

  @Override
  public void abort(String reason) {
    control.abort(Instruction.unsigned(reason));
  }

  @Override
  public void pauseRollout(Instruction instruction) {
    control.pause(instruction == null ? Instruction.unsigned(null) : instruction);
  }

  @Override
  public void resumeRollout(Instruction instruction) {
    control.resume(instruction);
  }

  @Override
  public void abortRollout(Instruction instruction) {
    control.abort(instruction == null ? Instruction.unsigned(null) : instruction);
  }

  @Override
  public ApprovalDecision approveRollout(ApprovalRequest request) {
    return control.approve(request);
  }

  @Override
  public void validateApproveRollout(ApprovalRequest request) {
    control.validateApprove(request, requiresApproval);
  }

  @Override
  public Instruction promoteRolloutNow(Instruction instruction) {
    control.promoteNow(instruction);
    return instruction;
  }

  @Override
  public void validatePromoteRolloutNow(Instruction instruction) {
    control.validatePromoteNow(instruction);
  }
}
