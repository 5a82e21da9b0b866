package dev.perennial.workflows.canary;

import dev.perennial.workflows.Instruction;
import dev.perennial.workflows.approval.ApprovalDecision;
import dev.perennial.workflows.approval.ApprovalRequest;
import io.temporal.workflow.Workflow;
import org.slf4j.Logger;

/**
 * What people told a rollout: pause, resume, abort, approve, promote now, each with who and why.
 * The message handlers write it, the workflow body waits on it; the older bare-string signals come
 * in as {@link Instruction#unsigned} instructions, naming nobody.
 */
final class RolloutControl {
  private static final Logger log = Workflow.getLogger(RolloutControl.class);

  private Instruction pause;
  private Instruction abort;
  private Instruction promoteNow;
  private ApprovalDecision approval;
  private boolean ended;

  void pause(Instruction i) {
    log.info("pause: {}", i.signed());
    pause = i;
  }

  void resume(Instruction i) {
    log.info("resume: {}", i == null ? "asked for" : i.signed());
    pause = null;
  }

  void abort(Instruction i) {
    log.info("abort: {}", i.signed());
    abort = i;
  }

  void promoteNow(Instruction i) {
    log.info("promote now: {}", i.signed());
    promoteNow = i;
  }

  ApprovalDecision approve(ApprovalRequest request) {
    approval = ApprovalDecision.approved(request);
    log.info("approve: {}", approval.reason(null));
    return approval;
  }

  /** An approval from the older signal, which names nobody the audit could record. */
  void approveUnsigned() {
    approval = new ApprovalDecision(true, null, null, false);
  }

  /** No message changes the rollout's course any more. */
  void end() {
    ended = true;
  }

  /** Refuses an approval the rollout cannot take; the message is what the caller sees. */
  void validateApprove(ApprovalRequest request, boolean required) {
    if (request == null) {
      throw new IllegalArgumentException("send who approves: {\"by\":\"alice\",\"note\":\"...\"}");
    }
    request.validate();
    refuseIfEnded();
    if (!required) {
      throw new IllegalStateException(
          "this rollout does not wait for approval (its policy's requireApproval is false)");
    }
    if (approval != null) {
      throw new IllegalStateException(
          "already approved" + (approval.by() == null ? "" : " by " + approval.by()));
    }
  }

  /** Refuses a promote-now the rollout cannot take. */
  void validatePromoteNow(Instruction i) {
    if (i == null) {
      throw new IllegalArgumentException("send who asks: {\"by\":\"alice\",\"reason\":\"...\"}");
    }
    i.validate();
    refuseIfEnded();
    if (abort != null) {
      throw new IllegalStateException("the rollout is being aborted: " + abort.signed());
    }
    if (promoteNow != null) {
      throw new IllegalStateException("promotion already asked for: " + promoteNow.signed());
    }
  }

  private void refuseIfEnded() {
    if (ended) {
      throw new IllegalStateException("the rollout has ended");
    }
  }

  boolean paused() {
    return pause != null;
  }

  boolean aborted() {
    return abort != null;
  }

  boolean promotingNow() {
    return promoteNow != null;
  }

  boolean approved() {
    return approval != null;
  }

  /** What ends a bake early: a pause, an abort or a promote-now. */
  boolean interrupted() {
    return paused() || aborted() || promotingNow();
  }

  /** What ends the wait for approval. */
  boolean decided() {
    return approved() || aborted() || promotingNow();
  }

  /** Blocks while paused, unless aborted or told to promote meanwhile. */
  void awaitUnpaused() {
    Workflow.await(() -> !paused() || aborted() || promotingNow());
  }

  Instruction pauseInstruction() {
    return pause;
  }

  Instruction abortInstruction() {
    return abort;
  }

  /**
   * Why the canary is promoted, and who answers for it in the registry's audit: the promote-now
   * instruction, or the approval, or {@code fallback} (the rollout's actor) when nobody is named.
   */
  Promotion promotion(String passed, String fallback) {
    if (promoteNow != null) {
      return new Promotion("promoted now: " + promoteNow.why(), promoteNow.actorOr(fallback));
    }
    if (approval != null && approval.by() != null) {
      // The decision's own words, as the pipeline's approvals put them: approved by alice: why.
      return new Promotion(passed + "; " + approval.reason(null), approval.by());
    }
    return new Promotion(passed, fallback);
  }

  /** The reason and actor of the alias and traffic changes that promote the canary. */
  record Promotion(String reason, String actor) {}
}
