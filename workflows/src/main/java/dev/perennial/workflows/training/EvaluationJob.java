package dev.perennial.workflows.training;

import dev.perennial.workflows.ObjectRef;
import dev.perennial.workflows.dataset.DatasetSnapshot;
import java.util.List;

/**
 * Input of {@link TrainingActivities#evaluate}: score the candidate and, when there is one, the
 * champion on the same held-out rows.
 *
 * @param model model name
 * @param snapshot the data; the last {@code holdoutDays} partitions are the held-out window
 * @param holdoutDays partitions in the held-out window
 * @param candidate the candidate's model bundle
 * @param champion the champion's model bundle, or null when the model has none
 * @param runId the pipeline run, used to place the report
 * @param slices slicings to score per slice as well (at most {@link Slicing#MAX_SLICINGS}); null or
 *     empty for none
 */
public record EvaluationJob(
    String model,
    DatasetSnapshot snapshot,
    int holdoutDays,
    ObjectRef candidate,
    ObjectRef champion,
    String runId,
    List<Slicing> slices) {

  public EvaluationJob {
    slices = slices == null || slices.isEmpty() ? null : List.copyOf(slices);
  }

  /** A job without slices. */
  public EvaluationJob(
      String model,
      DatasetSnapshot snapshot,
      int holdoutDays,
      ObjectRef candidate,
      ObjectRef champion,
      String runId) {
    this(model, snapshot, holdoutDays, candidate, champion, runId, null);
  }
}
