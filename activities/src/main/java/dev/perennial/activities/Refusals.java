package dev.perennial.activities;

import dev.perennial.core.dataset.InvalidDatasetException;
import dev.perennial.core.registry.RegistryConflictException;
import dev.perennial.core.store.IntegrityException;
import dev.perennial.workflows.FailureTypes;
import io.temporal.failure.ApplicationFailure;
import java.util.function.Supplier;

/**
 * How activities tell bad input from trouble: the services' refusals become non-retryable {@link
 * ApplicationFailure}s of the matching {@link FailureTypes} with the services' own message, and
 * everything else (S3 down, a worker dying) propagates for Temporal to retry.
 */
public final class Refusals {
  private Refusals() {}

  /** Runs activity work, translating refusals. */
  public static <T> T asFailures(Supplier<T> work) {
    try {
      return work.get();
    } catch (IllegalArgumentException e) {
      throw nonRetryable(e, FailureTypes.INVALID_REQUEST);
    } catch (InvalidDatasetException e) {
      throw nonRetryable(e, FailureTypes.INVALID_DATASET);
    } catch (IntegrityException e) {
      throw nonRetryable(e, FailureTypes.INTEGRITY);
    } catch (RegistryConflictException e) {
      throw nonRetryable(e, FailureTypes.REGISTRY_CONFLICT);
    }
  }

  private static ApplicationFailure nonRetryable(RuntimeException e, String type) {
    // The message only, capped: no cause chain, so the failure stays well under Temporal's size
    // limit and says what is wrong instead of "Failure exceeds size limit".
    return ApplicationFailure.newNonRetryableFailure(
        InvalidDatasetException.capped(e.getMessage()), type);
  }
}
