package dev.perennial.workflows.canary;

/** What a canary step does when a version saw fewer requests than the policy needs. */
public enum LowTraffic {
  /**
   * Bake another period, at most {@link CanaryPolicy#maxExtensions()} times; then end the rollout
   * as inconclusive: traffic back to the champion, the version stays approved.
   */
  EXTEND,
  /** Bake another period for as long as it takes (a person can still promote or abort). */
  HOLD
}
