package dev.perennial.workflows.watch;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** What the data watch asks of the store: which daily partitions a prefix holds. */
@ActivityInterface
public interface DataWatchActivities {

  /**
   * Lists the {@code dt=YYYY-MM-DD} partitions under the query's prefix and says which are dated
   * after its {@code after}: names and counts, never data. Reads nothing but the listing, so it is
   * idempotent.
   *
   * @throws io.temporal.failure.ApplicationFailure non-retryable {@code InvalidDataset} when the
   *     prefix holds neither a schema nor any partition (an unknown model or a mistyped prefix)
   */
  @ActivityMethod(name = "ListPartitions")
  PartitionListing listPartitions(PartitionQuery query);
}
