package dev.perennial.workflows.canary;

/** How a {@code CanaryRollout} puts a candidate beside the champion. */
public enum RolloutMode {
  /**
   * The candidate answers a rising share of the requests (the policy's steps), the champion the
   * rest (default).
   */
  CANARY,
  /**
   * The champion answers every request; the candidate also scores the policy's share of them
   * (default all), its answers logged with a {@code shadow} flag and sent to nobody. Each step is
   * judged like a canary's, on the same requests, plus how often the two agree and how far their
   * score distributions are apart; passing every step promotes the candidate.
   */
  SHADOW;

  /** The word people read for the candidate: "canary" or "shadow". */
  public String role() {
    return this == SHADOW ? "shadow" : "canary";
  }
}
