package dev.perennial.workflows.training;

/** The learning algorithms Perennial trains with Smile. */
public enum Algorithm {
  GRADIENT_BOOSTING,
  RANDOM_FOREST,
  LOGISTIC_REGRESSION
}
