package dev.perennial.activities.dataset;

import dev.perennial.activities.Refusals;
import dev.perennial.core.dataset.DatasetSnapshots;
import dev.perennial.core.dataset.DatasetValidator;
import dev.perennial.workflows.dataset.DatasetActivities;
import dev.perennial.workflows.dataset.DatasetSnapshot;
import dev.perennial.workflows.dataset.DatasetSpec;
import dev.perennial.workflows.dataset.ValidationJob;
import dev.perennial.workflows.dataset.ValidationReport;
import io.temporal.activity.Activity;

/**
 * Dataset activities: thin adapter over {@link DatasetSnapshots} and {@link DatasetValidator}.
 * Heartbeats per object; bad data is non-retryable, S3 trouble is retried by Temporal.
 */
public final class DatasetActivitiesImpl implements DatasetActivities {
  private final DatasetSnapshots snapshots;
  private final DatasetValidator validator;

  public DatasetActivitiesImpl(DatasetSnapshots snapshots, DatasetValidator validator) {
    this.snapshots = snapshots;
    this.validator = validator;
  }

  @Override
  public DatasetSnapshot snapshot(DatasetSpec spec) {
    return Refusals.asFailures(
        () ->
            snapshots.snapshot(
                spec, (done, total) -> heartbeat("hashed " + done + "/" + total + " objects")));
  }

  @Override
  public ValidationReport validate(ValidationJob job) {
    return Refusals.asFailures(
        () ->
            validator.validate(
                job,
                (done, total, rows) ->
                    heartbeat("validated " + done + "/" + total + " objects, " + rows + " rows")));
  }

  private static void heartbeat(String progress) {
    Activity.getExecutionContext().heartbeat(progress);
  }
}
