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
  PROMOTE,
  DONE,
  FAILED,
  ABORTED
}
