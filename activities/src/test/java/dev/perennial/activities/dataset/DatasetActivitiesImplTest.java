package dev.perennial.activities.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perennial.core.data.FeatureSchema;
import dev.perennial.core.data.FeatureSpec;
import dev.perennial.core.dataset.DatasetSnapshots;
import dev.perennial.core.dataset.DatasetValidator;
import dev.perennial.core.dataset.SnapshotReader;
import dev.perennial.core.store.ObjectStore;
import dev.perennial.dev.s3.EmbeddedS3;
import dev.perennial.workflows.FailureTypes;
import dev.perennial.workflows.dataset.DatasetActivities;
import dev.perennial.workflows.dataset.DatasetSnapshot;
import dev.perennial.workflows.dataset.DatasetSpec;
import dev.perennial.workflows.dataset.ValidationJob;
import dev.perennial.workflows.dataset.ValidationRules;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** An unreadable partition fails validation for good, at once, naming the object. */
class DatasetActivitiesImplTest {
  @RegisterExtension static final EmbeddedS3 S3 = new EmbeddedS3();

  private static final String KEY = "tiny/dt=2026-02-01/part-00000.csv.gz";

  private final ObjectStore store = S3.store();
  private TestActivityEnvironment env;
  private DatasetActivities activities;

  @BeforeEach
  void start() {
    String artifacts = S3.freshBucket();
    env = TestActivityEnvironment.newInstance();
    env.registerActivitiesImplementations(
        new DatasetActivitiesImpl(
            new DatasetSnapshots(store, artifacts),
            new DatasetValidator(store, new SnapshotReader(store), artifacts)));
    activities =
        env.newActivityStub(
            DatasetActivities.class,
            ActivityOptions.newBuilder()
                .setStartToCloseTimeout(Duration.ofMinutes(1))
                .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(3).build())
                .build());
  }

  @AfterEach
  void stop() {
    env.close();
  }

  @Test
  void aTruncatedGzipIsANonRetryableInvalidDataset() throws IOException {
    String bucket = S3.freshBucket();
    var schema = new FeatureSchema("tiny", "y", List.of(FeatureSpec.numeric("age", 0, 200, 0.0)));
    store.put(bucket, "tiny/_schema.json", schema.toJson(), "application/json");
    var csv = new StringBuilder("id,age,y\n");
    for (int i = 0; i < 20_000; i++) {
      csv.append(i).append(',').append(i % 90).append(',').append(i % 2).append('\n');
    }
    var out = new ByteArrayOutputStream();
    try (var gz = new GZIPOutputStream(out)) {
      gz.write(csv.toString().getBytes(StandardCharsets.UTF_8));
    }
    byte[] whole = out.toByteArray();
    store.put(bucket, KEY, Arrays.copyOf(whole, whole.length / 2), "application/gzip");

    DatasetSnapshot snapshot =
        activities.snapshot(
            new DatasetSpec(bucket, "tiny/", null, null, null, null).withDefaults("tiny"));
    assertThatThrownBy(
            () ->
                activities.validate(
                    new ValidationJob("tiny", snapshot, ValidationRules.defaults(), "run-1")))
        .isInstanceOf(ActivityFailure.class)
        .cause()
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            failure -> {
              assertThat(failure.getType()).isEqualTo(FailureTypes.INVALID_DATASET);
              assertThat(failure.isNonRetryable()).isTrue();
              assertThat(failure.getOriginalMessage())
                  .contains("s3://" + bucket + "/" + KEY, "truncated")
                  .hasSizeLessThan(2_000);
              assertThat(failure.getCause()).isNull();
            });
  }
}
