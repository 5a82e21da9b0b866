package dev.perennial.workflows.pipeline;

/** How a continuous-training run ended. */
public enum Outcome {
  /** Passed the gate and became champion. */
  PROMOTED,
  /** Passed the gate; registered as challenger, waiting for its rollout. */
  CHALLENGER,
  /** Refused by the gate; registered as rejected with the reasons. */
  REJECTED,
  /** Aborted by a person before it finished. */
  ABORTED
}
