package dev.perennial.workflows.pipeline;

/** How a continuous-training run ended. */
public enum Outcome {
  /** Passed the gate (and its canary, when there was one) and became champion. */
  PROMOTED,
  /** Passed the gate, then its canary breached: rolled back, the version withdrawn. */
  ROLLED_BACK,
  /**
   * Passed the gate; registered as challenger, waiting for its rollout (rollout CHALLENGER, or a
   * canary that ended without a verdict).
   */
  CHALLENGER,
  /** Refused by the gate; registered as rejected with the reasons. */
  REJECTED,
  /**
   * Trained nothing: a registered version (the result's {@code version}) was made from the same
   * data with the same options and code, so the run kept everything as it was (see {@link
   * dev.perennial.workflows.cache.CacheHit}).
   */
  UNCHANGED,
  /** Aborted by a person before it finished. */
  ABORTED
}
