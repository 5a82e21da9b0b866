package dev.perennial.workflows.search;

/** Where one trial of a {@link HyperparameterSearch} is. */
public enum TrialState {
  /** Planned, waiting for a free slot under the search's parallelism. */
  PENDING,
  /** Its {@code TrainModel} activity is scheduled or running on a training worker. */
  RUNNING,
  /** Trained; its score is the search metric on its validation split. */
  SUCCEEDED,
  /** Its training failed for good (e.g. the trainer refused the combination); see the failure. */
  FAILED
}
