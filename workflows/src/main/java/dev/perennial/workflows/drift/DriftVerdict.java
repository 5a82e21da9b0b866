package dev.perennial.workflows.drift;

/** What a drift measurement concluded. */
public enum DriftVerdict {
  /** Served traffic still looks like the training data, and quality holds. */
  NO_DRIFT,
  /** The policy's breach rule holds: retraining is due. */
  DRIFT,
  /** Fewer served rows than the policy's minimum: nothing is judged. */
  TOO_FEW_ROWS,
  /** The model has no champion yet, so there is no reference to compare with. */
  NO_CHAMPION
}
