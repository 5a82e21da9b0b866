package dev.perennial.workflows.drift;

/** What a drift monitor is doing. */
public enum DriftPhase {
  /** Between checks, on a durable timer. */
  WAITING,
  /** Measuring a window. */
  MEASURING,
  /** Starting the retraining a breach asked for. */
  STARTING_RETRAINING,
  /** Stopped by the {@code stop} signal. */
  STOPPED
}
