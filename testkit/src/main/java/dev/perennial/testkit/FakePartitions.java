package dev.perennial.testkit;

import dev.perennial.workflows.FailureTypes;
import dev.perennial.workflows.watch.DataWatchActivities;
import dev.perennial.workflows.watch.PartitionListing;
import dev.perennial.workflows.watch.PartitionQuery;
import io.temporal.failure.ApplicationFailure;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Data prefixes without a store, for the data watch: a test lands days under a prefix ({@link
 * #land}) and the listing names them as the real one does. A prefix nothing was landed under is
 * refused as an unknown one ({@code InvalidDataset}), unless {@link #known} says it holds a schema.
 */
public class FakePartitions implements DataWatchActivities {
  private final Map<String, TreeSet<String>> days = new TreeMap<>();
  private final List<PartitionQuery> queries = new ArrayList<>();

  // ---- DataWatchActivities ----

  @Override
  public synchronized PartitionListing listPartitions(PartitionQuery query) {
    queries.add(query);
    TreeSet<String> under = days.get(key(query.bucket(), query.prefix()));
    if (under == null) {
      throw ApplicationFailure.newNonRetryableFailure(
          "no data under s3://" + query.bucket() + "/" + query.prefix(),
          FailureTypes.INVALID_DATASET);
    }
    return PartitionListing.of(List.copyOf(under), query.after());
  }

  // ---- Setting up ----

  /** The prefix exists (its schema is there), with no partitions yet. */
  public synchronized FakePartitions known(String bucket, String prefix) {
    days.computeIfAbsent(key(bucket, prefix), k -> new TreeSet<>());
    return this;
  }

  /** Partitions for {@code days} (ISO dates) land under {@code bucket}/{@code prefix}. */
  public synchronized FakePartitions landUnder(String bucket, String prefix, String... isoDays) {
    TreeSet<String> under = days.computeIfAbsent(key(bucket, prefix), k -> new TreeSet<>());
    for (String d : isoDays) {
      under.add(LocalDate.parse(d).toString());
    }
    return this;
  }

  /**
   * Partitions for {@code isoDays} land under a model's default data, {@code
   * perennial-data/<model>/}.
   */
  public FakePartitions land(String model, String... isoDays) {
    return landUnder("perennial-data", model + "/", isoDays);
  }

  // ---- Looking ----

  /** Every listing asked for, in order. */
  public synchronized List<PartitionQuery> queries() {
    return List.copyOf(queries);
  }

  private static String key(String bucket, String prefix) {
    return bucket + "/" + prefix;
  }
}
