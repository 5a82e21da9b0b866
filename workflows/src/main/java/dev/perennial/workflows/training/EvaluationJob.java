package dev.perennial.workflows.training;

import dev.perennial.workflows.ObjectRef;
import dev.perennial.workflows.dataset.DatasetSnapshot;

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
 */
public record EvaluationJob(
    String model,
    DatasetSnapshot snapshot,
    int holdoutDays,
    ObjectRef candidate,
    ObjectRef champion,
    String runId) {}
