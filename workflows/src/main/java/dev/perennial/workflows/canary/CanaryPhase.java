package dev.perennial.workflows.canary;

/** Where a canary rollout is. */
public enum CanaryPhase {
  STARTING,
  SHIFTING,
  BAKING,
  ANALYSING,
  PAUSED,
  AWAITING_APPROVAL,
  PROMOTING,
  ROLLING_BACK,
  DONE
}
