package dev.perennial.workflows.registry;

/** Where a registered version stands. */
public enum VersionStatus {
  /** Passed the validation gate; may take aliases. */
  APPROVED,
  /**
   * Refused by the validation gate, or withdrawn later (see {@link ModelVersion#rejection()}); kept
   * with its reasons, never served again.
   */
  REJECTED
}
