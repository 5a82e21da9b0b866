package dev.perennial.workflows.training;

/**
 * Candidate and champion scored on one slice of the held-out rows.
 *
 * @param feature the feature sliced by
 * @param value the slice: a category, a bucket such as {@code [30, 45)}, or {@code missing}
 * @param rows held-out rows in the slice
 * @param positives of those, rows whose label is 1
 * @param candidate the candidate's metrics on the slice (AUC NaN when the slice has one class)
 * @param candidatePredictedPositives rows the candidate predicts positive (at 0.5)
 * @param champion the champion's metrics on the slice, or null without a champion
 */
public record SliceMetrics(
    String feature,
    String value,
    long rows,
    long positives,
    ModelMetrics candidate,
    long candidatePredictedPositives,
    ModelMetrics champion) {

  /** How checks name the slice: {@code region=south}. */
  public String name() {
    return feature + "=" + value;
  }

  /** Share of the slice's rows the candidate predicts positive; NaN for an empty slice. */
  public double candidatePositiveRate() {
    return rows == 0 ? Double.NaN : (double) candidatePredictedPositives / rows;
  }
}
