package dev.perennial.workflows.pipeline;

/** Where a pipeline run is. */
public enum Stage {
  STARTING,
  SNAPSHOT,
  VALIDATE,
  /** Looking for a registered version made from the same data, options and code (step cache). */
  CACHE,
  TRAIN,
  EVALUATE,
  GATE,
  REGISTER,
  /** Rolling out against the champion: a canary, or a shadow ({@code rollout} SHADOW). */
  CANARY,
  /** Waiting for a person's {@code approve} or {@code reject} (see {@code PipelineRun}). */
  AWAITING_APPROVAL,
  PROMOTE,
  DONE,
  FAILED,
  ABORTED
}
