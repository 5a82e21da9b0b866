package dev.perennial.workflows.dataset;

/**
 * Input of {@link DatasetActivities#validate}.
 *
 * @param model model name, used to place the report in S3
 * @param snapshot the data to check
 * @param rules hard rules, defaults applied
 * @param runId the pipeline run, used to place the report in S3
 */
public record ValidationJob(
    String model, DatasetSnapshot snapshot, ValidationRules rules, String runId) {}
