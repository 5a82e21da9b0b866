package dev.perennial.workflows.watch;

/** What a data watch is doing. */
public enum DataWatchPhase {
  /** Between checks, on a durable timer. */
  WAITING,
  /** Listing the prefix. */
  LISTING,
  /** Starting the retraining new partitions asked for. */
  STARTING_RETRAINING,
  /** Stopped by the {@code stop} signal. */
  STOPPED
}
