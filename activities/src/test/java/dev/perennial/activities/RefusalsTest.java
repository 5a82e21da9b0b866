package dev.perennial.activities;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perennial.core.dataset.InvalidDatasetException;
import dev.perennial.core.registry.RegistryConflictException;
import dev.perennial.core.store.IntegrityException;
import dev.perennial.core.store.ObjectStore;
import dev.perennial.core.training.TrainingTooLargeException;
import dev.perennial.workflows.FailureTypes;
import io.temporal.failure.ApplicationFailure;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class RefusalsTest {

  private static void refusedAs(RuntimeException thrown, String type) {
    Supplier<Object> work =
        () -> {
          throw thrown;
        };
    assertThatThrownBy(() -> Refusals.asFailures(work))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> {
              assertThat(f.getType()).isEqualTo(type);
              assertThat(f.isNonRetryable()).isTrue();
              assertThat(f.getOriginalMessage()).isEqualTo(thrown.getMessage());
            });
  }

  @Test
  void refusalsBecomeNonRetryableFailuresOfTheirType() {
    refusedAs(
        new IllegalArgumentException("trees: must be positive"), FailureTypes.INVALID_REQUEST);
    refusedAs(new InvalidDatasetException("no partitions"), FailureTypes.INVALID_DATASET);
    refusedAs(new IntegrityException("changed"), FailureTypes.INTEGRITY);
    refusedAs(new RegistryConflictException("v3 is rejected"), FailureTypes.REGISTRY_CONFLICT);
    refusedAs(
        new TrainingTooLargeException("800 rows x 21 columns did not fit"),
        FailureTypes.RESOURCE_EXHAUSTED);
  }

  @Test
  void runningOutOfHeapEndsTheWorkForGoodWithTheHeapItHad() {
    Supplier<Object> work =
        () -> {
          throw new OutOfMemoryError("Java heap space");
        };
    assertThatThrownBy(() -> Refusals.asFailures(work))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> {
              assertThat(f.getType()).isEqualTo(FailureTypes.RESOURCE_EXHAUSTED);
              assertThat(f.isNonRetryable()).isTrue();
              assertThat(f.getOriginalMessage())
                  .contains("ran out of memory (java.lang.OutOfMemoryError: Java heap space)")
                  .containsPattern("maximum heap of \\d+(\\.\\d)? [MG]B")
                  .contains("bigger heap", "-Xmx");
            });
  }

  @Test
  void aLongRefusalIsCappedToFitATemporalFailure() {
    Supplier<Object> work =
        () -> {
          throw new IntegrityException(
              "s3://data/tiny/dt=2026-01-01/part-0.csv " + "x".repeat(50_000));
        };
    assertThatThrownBy(() -> Refusals.asFailures(work))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> {
              assertThat(f.isNonRetryable()).isTrue();
              assertThat(f.getOriginalMessage())
                  .startsWith("s3://data/tiny/dt=2026-01-01/part-0.csv")
                  .hasSizeLessThanOrEqualTo(InvalidDatasetException.MAX_MESSAGE);
            });
  }

  @Test
  void troubleIsLeftForTemporalToRetry() {
    var outage = new ObjectStore.ObjectStoreException("connection refused", null);
    assertThatThrownBy(
            () ->
                Refusals.asFailures(
                    () -> {
                      throw outage;
                    }))
        .isSameAs(outage);
    assertThat(Refusals.asFailures(() -> 42)).isEqualTo(42);
  }
}
