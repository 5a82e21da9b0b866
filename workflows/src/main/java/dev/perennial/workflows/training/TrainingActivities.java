package dev.perennial.workflows.training;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Training building blocks, served on the heavy {@code perennial-training} task queue. */
@ActivityInterface
public interface TrainingActivities {

  /**
   * Trains a model with Smile on the snapshot minus its held-out window, heartbeating progress, and
   * writes the model bundle, hyperparameters, feature schema and reference profile to S3.
   */
  @ActivityMethod(name = "TrainModel")
  TrainedModel train(TrainingJob job);

  /** Scores candidate and champion on the held-out window (SHA-256 checked before loading). */
  @ActivityMethod(name = "EvaluateModel")
  Evaluation evaluate(EvaluationJob job);
}
