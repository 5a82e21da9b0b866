package dev.perennial.workflows.training;

import dev.perennial.workflows.ObjectRef;
import java.util.List;

/**
 * Candidate and champion scored on the same held-out rows.
 *
 * @param candidate the candidate's metrics
 * @param champion the champion's metrics, null without a champion
 * @param report the JSON evaluation report in S3
 * @param html the same evaluation as a page for people (ROC curves, confusion matrices, metrics vs
 *     champion) beside the JSON report; null in histories and registry entries written before it
 *     existed, so it is the last component and optional
 * @param slices the same metrics per slice, for each slicing the job asked for; null when it asked
 *     for none (and in evaluations written before slices existed)
 */
public record Evaluation(
    ModelMetrics candidate,
    ModelMetrics champion,
    ObjectRef report,
    ObjectRef html,
    List<SliceResults> slices) {

  public Evaluation {
    slices = slices == null || slices.isEmpty() ? null : List.copyOf(slices);
  }

  /** An evaluation without slices. */
  public Evaluation(
      ModelMetrics candidate, ModelMetrics champion, ObjectRef report, ObjectRef html) {
    this(candidate, champion, report, html, null);
  }

  /** The slices cut {@code by} this slicing, or null when the evaluation did not compute them. */
  public SliceResults slices(Slicing by) {
    if (slices == null) {
      return null;
    }
    return slices.stream().filter(s -> s.by().equals(by)).findFirst().orElse(null);
  }
}
