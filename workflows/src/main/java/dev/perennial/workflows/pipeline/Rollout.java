package dev.perennial.workflows.pipeline;

import dev.perennial.workflows.canary.RolloutMode;

/** What a continuous-training run does with a candidate that passed the gate. */
public enum Rollout {
  /**
   * Roll it out against the champion with a {@code CanaryRollout} child workflow: promoted if every
   * step passes, rolled back and withdrawn on a breach (default).
   */
  CANARY,
  /**
   * Shadow it beside the champion with a {@code CanaryRollout} child in shadow mode: the champion
   * answers every request, the candidate scores the policy's share of them unseen, and is judged
   * like a canary; promoted if every step passes, withdrawn on a breach.
   */
  SHADOW,
  /** Mark it challenger and stop: a person starts the rollout later. */
  CHALLENGER,
  /** Make it champion at once, without a canary. */
  PROMOTE;

  /** The mode of the {@code CanaryRollout} child this rollout starts: SHADOW for SHADOW. */
  public RolloutMode mode() {
    return this == SHADOW ? RolloutMode.SHADOW : RolloutMode.CANARY;
  }
}
