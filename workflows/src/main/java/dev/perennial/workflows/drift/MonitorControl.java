package dev.perennial.workflows.drift;

import dev.perennial.workflows.Instruction;

/**
 * What people told a monitor: stop, or check now, with who and why. The older bare-string signals
 * come in as {@link Instruction#unsigned} instructions, naming nobody.
 */
final class MonitorControl {
  private String stopReason;
  private Instruction checkNow;

  void stop(String reason) {
    stopReason = reason == null || reason.isBlank() ? "asked for" : reason;
  }

  void checkNow(Instruction i) {
    checkNow = i;
  }

  /** Refuses a check the monitor cannot take; the message is what the caller sees. */
  void validateCheckNow(Instruction i) {
    if (i == null) {
      throw new IllegalArgumentException("send who asks: {\"by\":\"alice\",\"reason\":\"...\"}");
    }
    i.validate();
    if (stopReason != null) {
      throw new IllegalStateException("the monitor is stopping: " + stopReason);
    }
    if (checkNow != null) {
      throw new IllegalStateException("a check is already asked for: " + checkNow.signed());
    }
  }

  boolean stopping() {
    return stopReason != null;
  }

  String stopReason() {
    return stopReason;
  }

  boolean checkAsked() {
    return checkNow != null;
  }

  /** Takes the pending check-now: what the check's message says about it, null when none. */
  String takeCheckNow() {
    String asked = checkNow == null ? null : checkNow.signed();
    checkNow = null;
    return asked;
  }
}
