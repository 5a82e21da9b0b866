package dev.perennial.workflows.pipeline;

/** Where a continuous-training run is. */
public enum Stage {
  STARTING,
  SNAPSHOT,
  VALIDATE,
  TRAIN,
  EVALUATE,
  GATE,
  REGISTER,
  CANARY,
  PROMOTE,
  DONE,
  FAILED,
  ABORTED
}
