package dev.perennial.workflows.dataset;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Dataset building blocks: freeze a dataset into a snapshot, check it against its schema. */
@ActivityInterface
public interface DatasetActivities {

  /**
   * Resolves the spec to the matching partitions and writes an immutable manifest. Idempotent: the
   * same objects give the same dataset version and the same manifest key.
   *
   * @throws io.temporal.failure.ApplicationFailure non-retryable {@code InvalidDataset} when
   *     nothing matches or the schema is missing or malformed
   */
  @ActivityMethod(name = "SnapshotDataset")
  DatasetSnapshot snapshot(DatasetSpec spec);

  /**
   * Reads every row of the snapshot (verifying each object's SHA-256) and checks schema, types,
   * ranges, missing values, category sets, label balance and row count. Returns a report; it does
   * not throw for rule violations, so the caller decides.
   */
  @ActivityMethod(name = "ValidateDataset")
  ValidationReport validate(ValidationJob job);
}
