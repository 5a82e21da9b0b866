package dev.perennial.workflows.approval;

import java.time.Duration;

/**
 * How a wait for approval ended.
 *
 * @param approved true when a person approved
 * @param by who decided; null when nobody did before the timeout
 * @param note the decider's note, or null
 * @param timedOut true when nobody decided in time (then {@code approved} is false)
 */
public record ApprovalDecision(boolean approved, String by, String note, boolean timedOut) {

  /** An approval by the request's sender (validate the request first). */
  public static ApprovalDecision approved(ApprovalRequest request) {
    return new ApprovalDecision(true, request.by().strip(), blankToNull(request.note()), false);
  }

  static ApprovalDecision rejected(ApprovalRequest request) {
    return new ApprovalDecision(false, request.by().strip(), blankToNull(request.note()), false);
  }

  static ApprovalDecision noAnswer() {
    return new ApprovalDecision(false, null, null, true);
  }

  /**
   * One line for the audit log and the run's result, e.g. {@code approved by alice: looks good}.
   */
  public String reason(Duration timeout) {
    if (timedOut) {
      return "no approval within " + timeout;
    }
    return (approved ? "approved by " : "rejected by ") + by + (note == null ? "" : ": " + note);
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }
}
