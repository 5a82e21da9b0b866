package dev.perennial.workflows.canary;

/** What one analysed canary step concluded. */
public enum Verdict {
  /** Every check held: the canary may take the next step. */
  PASS,
  /** A threshold was crossed: the canary is rolled back and its version withdrawn. */
  BREACH,
  /** A version served too few requests (or labels, if required) to judge. */
  TOO_LITTLE_TRAFFIC
}
