package dev.perennial.core.model.legacy;

/** The algorithm enum older bundles name ({@code dev.perennial.workflows.training.Algorithm}). */
public enum Algorithm {
  GRADIENT_BOOSTING,
  RANDOM_FOREST,
  LOGISTIC_REGRESSION;

  /** The name older streams give this class. */
  public static final String STORED_NAME = "dev.perennial.workflows.training.Algorithm";
}
