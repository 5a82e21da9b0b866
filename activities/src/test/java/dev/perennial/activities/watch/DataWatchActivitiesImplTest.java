package dev.perennial.activities.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perennial.core.dataset.DataPartitions;
import dev.perennial.core.store.ObjectStore;
import dev.perennial.dev.s3.EmbeddedS3;
import dev.perennial.workflows.FailureTypes;
import dev.perennial.workflows.watch.DataWatchActivities;
import dev.perennial.workflows.watch.PartitionListing;
import dev.perennial.workflows.watch.PartitionQuery;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The listing names the days under a prefix, counts the new ones, and refuses an empty prefix. */
class DataWatchActivitiesImplTest {
  @RegisterExtension static final EmbeddedS3 S3 = new EmbeddedS3();

  private final ObjectStore store = S3.store();
  private TestActivityEnvironment env;
  private DataWatchActivities activities;
  private String bucket;

  @BeforeEach
  void start() {
    bucket = S3.freshBucket();
    env = TestActivityEnvironment.newInstance();
    env.registerActivitiesImplementations(new DataWatchActivitiesImpl(new DataPartitions(store)));
    activities =
        env.newActivityStub(
            DataWatchActivities.class,
            ActivityOptions.newBuilder()
                .setStartToCloseTimeout(Duration.ofMinutes(1))
                .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(3).build())
                .build());
  }

  @AfterEach
  void stop() {
    env.close();
  }

  private void put(String key) {
    store.put(bucket, key, "x".getBytes(StandardCharsets.UTF_8), "text/csv");
  }

  @Test
  void daysAreNamedOnceAndOnlyThoseAfterTheQuerysDayAreNew() {
    put("churn/_schema.json");
    put("churn/dt=2026-03-01/part-00000.csv.gz");
    put("churn/dt=2026-03-01/part-00001.csv.gz");
    put("churn/dt=2026-03-02/part-00000.csv");
    put("churn/dt=2026-03-03/part-00000.csv.gz");
    put("churn/dt=2026-03-04/notes.txt"); // no data file: no partition
    put("churn/predictions/v1/dt=2026-03-09/part-00000.csv.gz"); // deeper: not the model's data
    put("churned/dt=2026-03-08/part-00000.csv.gz"); // another prefix sharing the name's start

    assertThat(activities.listPartitions(new PartitionQuery(bucket, "churn/", "2026-03-01")))
        .isEqualTo(new PartitionListing(3, "2026-03-03", 2, List.of("2026-03-02", "2026-03-03")));
    assertThat(activities.listPartitions(new PartitionQuery(bucket, "churn/", null)).newer())
        .isEqualTo(3);
    assertThat(activities.listPartitions(new PartitionQuery(bucket, "churn/", "2026-03-03")))
        .isEqualTo(new PartitionListing(3, "2026-03-03", 0, List.of()));
  }

  @Test
  void aSchemaWithoutPartitionsIsAnEmptyListingNotAnError() {
    put("fresh/_schema.json");
    assertThat(activities.listPartitions(new PartitionQuery(bucket, "fresh/", null)))
        .isEqualTo(new PartitionListing(0, null, 0, List.of()));
  }

  @Test
  void aPrefixWithNothingIsRefusedForGood() {
    assertThatThrownBy(
            () -> activities.listPartitions(new PartitionQuery(bucket, "nothing/", null)))
        .isInstanceOf(ActivityFailure.class)
        .cause()
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> {
              assertThat(f.getType()).isEqualTo(FailureTypes.INVALID_DATASET);
              assertThat(f.isNonRetryable()).isTrue();
              assertThat(f.getOriginalMessage())
                  .startsWith(
                      "no data under s3://"
                          + bucket
                          + "/nothing/ (no _schema.json, no dt=YYYY-MM-DD/ partitions)");
            });
  }
}
