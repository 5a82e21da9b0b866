package dev.perennial.workflows.drift;

/** Where a monitor stands between and during checks, for the status query, kept in one place. */
final class DriftProgress {
  private DriftPhase phase = DriftPhase.WAITING;
  private String nextCheckAt;
  private String message = "starting";

  /** Waiting for the check due at {@code at}. */
  void waiting(String at, String message) {
    phase = DriftPhase.WAITING;
    nextCheckAt = at;
    this.message = message;
  }

  /** Measuring, or starting a retraining, or stopped: no check is scheduled. */
  void enter(DriftPhase phase, String message) {
    this.phase = phase;
    nextCheckAt = null;
    this.message = message;
  }

  /** The same phase, with a new message. */
  void say(String message) {
    this.message = message;
  }

  String message() {
    return message;
  }

  DriftMonitorStatus status(String model, DriftPolicy policy, DriftMonitorState state) {
    return new DriftMonitorStatus(model, policy, phase, nextCheckAt, state, message);
  }
}
