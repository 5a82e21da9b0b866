package dev.perennial.workflows.pipeline;

/** What a continuous-training run does with a candidate that passed the gate. */
public enum Rollout {
  /**
   * Roll it out against the champion with a {@code CanaryRollout} child workflow: promoted if every
   * step passes, rolled back and withdrawn on a breach (default).
   */
  CANARY,
  /** Mark it challenger and stop: a person starts the rollout later. */
  CHALLENGER,
  /** Make it champion at once, without a canary. */
  PROMOTE
}
