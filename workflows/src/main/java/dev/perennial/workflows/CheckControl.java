package dev.perennial.workflows;

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
}
