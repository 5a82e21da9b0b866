package dev.perennial.workflows.watch;

import dev.perennial.workflows.Instruction;

/** What people told a watch: stop, or check now, with who and why. */
final class WatchControl {
  private String stopReason;
  private Instruction checkNow;

  void stop(String reason) {
    stopReason = reason == null || reason.isBlank() ? "asked for" : reason;
  }

  void checkNow(Instruction i) {
    checkNow = i;
  }

  /** Refuses a check the watch cannot take; the message is what the caller sees. */
  void validateCheckNow(Instruction i) {
    if (i == null) {
      throw new IllegalArgumentException("send who asks: {\"by\":\"alice\",\"reason\":\"...\"}");
    }
    i.validate();
    if (stopReason != null) {
      throw new IllegalStateException("the watch is stopping: " + stopReason);
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

  /** Takes the pending check-now: who asked and why, null when none was asked. */
  String takeCheckNow() {
    String asked = checkNow == null ? null : checkNow.signed();
    checkNow = null;
    return asked;
  }
}
