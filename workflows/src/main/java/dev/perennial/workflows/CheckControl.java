package dev.perennial.workflows;

import io.temporal.workflow.Workflow;
import java.time.Duration;

/**
 * What people told a long-running checker (the drift monitor, the data watch): stop, or check now,
 * with who and why. Workflow state, held by the workflow's signal and update handlers; the older
 * bare-string signals come in as {@link Instruction#unsigned} instructions, naming nobody.
 */
public final class CheckControl {
  private final String subject;
  private String stopReason;
  private Instruction checkNow;

  /**
   * @param subject what the caller is told is stopping, e.g. "monitor" or "watch"
   */
  public CheckControl(String subject) {
    this.subject = subject;
  }

  public void stop(String reason) {
    stopReason = reason == null || reason.isBlank() ? "asked for" : reason;
  }

  public void checkNow(Instruction i) {
    checkNow = i;
  }

  /** Refuses a check that cannot be taken; the message is what the caller sees. */
  public void validateCheckNow(Instruction i) {
    if (i == null) {
      throw new IllegalArgumentException("send who asks: {\"by\":\"alice\",\"reason\":\"...\"}");
    }
    i.validate();
    if (stopReason != null) {
      throw new IllegalStateException("the " + subject + " is stopping: " + stopReason);
    }
    if (checkNow != null) {
      throw new IllegalStateException("a check is already asked for: " + checkNow.signed());
    }
  }

  public boolean stopping() {
    return stopReason != null;
  }

  public String stopReason() {
    return stopReason;
  }

  public boolean checkAsked() {
    return checkNow != null;
  }

  /** Takes the pending check-now: who asked and why, null when none was asked. */
  public String takeCheckNow() {
    String asked = checkNow == null ? null : checkNow.signed();
    checkNow = null;
    return asked;
  }

  /**
   * Whether the run should hand over to a new one (continue as new): after {@code checksPerRun}
   * checks, or when the server suggests it, but never with a check-now pending, which the hand-over
   * would lose.
   */
  public boolean handOver(int checksThisRun, int checksPerRun) {
    return checkNow == null
        && (checksThisRun >= checksPerRun || Workflow.getInfo().isContinueAsNewSuggested());
  }

  /** Waits until the next check is due, or until someone asks to stop or to check now. */
  public void awaitNextCheck(Duration untilDue) {
    Workflow.await(untilDue, () -> stopping() || checkAsked());
  }
}
