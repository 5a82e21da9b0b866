package dev.perennial.activities.dataset;

import dev.perennial.activities.store.IntegrityException;
import dev.perennial.workflows.FailureTypes;
import dev.perennial.workflows.dataset.DatasetActivities;
import dev.perennial.workflows.dataset.DatasetSnapshot;
import dev.perennial.workflows.dataset.DatasetSpec;
import dev.perennial.workflows.dataset.ValidationJob;
import dev.perennial.workflows.dataset.ValidationReport;
import io.temporal.activity.Activity;
import io.temporal.failure.ApplicationFailure;
import java.util.function.Supplier;

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
    return mapped(
        () ->
            snapshots.snapshot(
                spec, (done, total) -> heartbeat("hashed " + done + "/" + total + " objects")));
  }

  @Override
  public ValidationReport validate(ValidationJob job) {
    return mapped(
        () ->
            validator.validate(
                job,
                (done, total, rows) ->
                    heartbeat("validated " + done + "/" + total + " objects, " + rows + " rows")));
  }

  private static void heartbeat(String progress) {
    Activity.getExecutionContext().heartbeat(progress);
  }

  static <T> T mapped(Supplier<T> work) {
    try {
      return work.get();
    } catch (InvalidDatasetException e) {
      throw ApplicationFailure.newNonRetryableFailure(e.getMessage(), FailureTypes.INVALID_DATASET);
    } catch (IntegrityException e) {
      throw ApplicationFailure.newNonRetryableFailure(e.getMessage(), FailureTypes.INTEGRITY);
    }
  }
}
