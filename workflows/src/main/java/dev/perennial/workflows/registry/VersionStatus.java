package dev.perennial.workflows.registry;

/** Where a registered version stands. */
public enum VersionStatus {
  /** Passed the validation gate; may take aliases. */
  APPROVED,
  /** Refused by the validation gate; kept with its reasons, never served. */
  REJECTED
}
