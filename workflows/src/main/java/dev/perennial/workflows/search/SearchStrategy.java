package dev.perennial.workflows.search;

/** How a {@link HyperparameterSearch} picks its trials. */
public enum SearchStrategy {
  /** Every combination of the ranges' grid points. */
  GRID,
  /** Independent draws from every range, as many as the trial budget. */
  RANDOM
}
