package dev.perennial.workflows.approval;

import io.temporal.workflow.Workflow;
import java.time.Duration;

/**
 * A durable wait for a person's decision, for use inside workflow code: {@link #await} blocks the
 * workflow (on a durable timer, so a two-day wait survives worker restarts) until an {@code
 * approve} or {@code reject} update arrives or the timeout passes. Create one per workflow
 * execution, as a field; route the {@link Approvable} update methods to {@link #approve}, {@link
 * #reject} and {@link #validate}.
 */
public final class Approval {
  private boolean open;
  private ApprovalDecision decision;

  /**
   * Opens the wait and returns the decision: approved or rejected by someone, or timed out. Each
   * call is a new wait; a decision sent before it is refused (see {@link #validate}).
   */
  public ApprovalDecision await(Duration timeout) {
    open = true;
    decision = null;
    boolean decided = Workflow.await(timeout, () -> decision != null);
    open = false;
    return decided ? decision : ApprovalDecision.noAnswer();
  }

  /** True while {@link #await} waits and nobody has decided yet. */
  public boolean waiting() {
    return open && decision == null;
  }

  /**
   * Refuses a decision that cannot be taken: the request names nobody, or nothing is waiting (a
   * second decision, or one sent before or after the wait). Call it from the update validators; the
   * exception's message is what the caller sees.
   */
  public void validate(ApprovalRequest request) {
    if (request == null) {
      throw new IllegalArgumentException("send who decides: {\"by\":\"alice\",\"note\":\"...\"}");
    }
    request.validate();
    if (!waiting()) {
      throw new IllegalStateException(
          decision != null
              ? "already "
                  + (decision.approved() ? "approved" : "rejected")
                  + " by "
                  + decision.by()
              : "nothing is waiting for approval");
    }
  }

  /** Takes an approval (validated). */
  public ApprovalDecision approve(ApprovalRequest request) {
    decision = ApprovalDecision.approved(request);
    return decision;
  }

  /** Takes a refusal (validated). */
  public ApprovalDecision reject(ApprovalRequest request) {
    decision = ApprovalDecision.rejected(request);
    return decision;
  }
}
