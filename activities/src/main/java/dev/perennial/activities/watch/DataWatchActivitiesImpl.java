package dev.perennial.activities.watch;

import dev.perennial.activities.Refusals;
import dev.perennial.core.dataset.DataPartitions;
import dev.perennial.workflows.watch.DataWatchActivities;
import dev.perennial.workflows.watch.PartitionListing;
import dev.perennial.workflows.watch.PartitionQuery;

/**
 * The data watch's listing: thin adapter over {@link DataPartitions}. An unknown prefix is
 * non-retryable; S3 trouble is retried by Temporal.
 */
public final class DataWatchActivitiesImpl implements DataWatchActivities {
  private final DataPartitions partitions;

  public DataWatchActivitiesImpl(DataPartitions partitions) {
    this.partitions = partitions;
  }

  @Override
  public PartitionListing listPartitions(PartitionQuery query) {
    return Refusals.asFailures(() -> partitions.list(query));
  }
}
