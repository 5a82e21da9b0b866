package dev.perennial.workflows.gate;

/** What a fairness rule compares between the groups of a feature. */
public enum FairnessMetric {
  /** Share of the group's rows the candidate predicts positive (demographic parity). */
  POSITIVE_RATE,
  /** Share of the group's positives the candidate predicts positive (equal opportunity). */
  RECALL
}
