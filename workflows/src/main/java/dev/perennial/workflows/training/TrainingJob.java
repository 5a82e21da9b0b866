package dev.perennial.workflows.training;

import dev.perennial.workflows.dataset.DatasetSnapshot;

/**
 * Input of {@link TrainingActivities#train}.
 *
 * @param model model name
 * @param snapshot the data; the last {@code holdoutDays} partitions are never trained on
 * @param holdoutDays partitions kept back for evaluation
 * @param hyperparameters with defaults applied
 * @param runId the pipeline run; artifacts go under it, so a retry overwrites its own files only
 */
public record TrainingJob(
    String model,
    DatasetSnapshot snapshot,
    int holdoutDays,
    Hyperparameters hyperparameters,
    String runId) {}
