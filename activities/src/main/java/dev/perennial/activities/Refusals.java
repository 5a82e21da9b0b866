package dev.perennial.activities;

import dev.perennial.core.dataset.InvalidDatasetException;
import dev.perennial.core.registry.RegistryConflictException;
import dev.perennial.core.store.IntegrityException;
import dev.perennial.core.training.TrainingService;
import dev.perennial.core.training.TrainingTooLargeException;
import dev.perennial.workflows.FailureTypes;
import io.temporal.failure.ApplicationFailure;
import java.util.function.Supplier;

/**
 * How activities tell bad input from trouble: the services' refusals become non-retryable {@link
 * ApplicationFailure}s of the matching {@link FailureTypes} with the services' own message, and
 * everything else (S3 down, a worker dying) propagates for Temporal to retry. Running out of heap
 * is no passing trouble: the same work on the same worker runs out again, so it ends the attempt
 * for good with what did not fit.
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
    } catch (TrainingTooLargeException e) {
      throw nonRetryable(e, FailureTypes.RESOURCE_EXHAUSTED);
    } catch (OutOfMemoryError e) {
      // The work's own objects are unreachable once it has thrown: there is room for a message.
      throw ApplicationFailure.newNonRetryableFailure(
          outOfMemory(e), FailureTypes.RESOURCE_EXHAUSTED);
    }
  }

  /** What a bare out-of-memory error says, with the heap it ran out of and what would help. */
  static String outOfMemory(OutOfMemoryError e) {
    return "the worker ran out of memory ("
        + e
        + ") with a maximum heap of "
        + TrainingService.heapSize(Runtime.getRuntime().maxMemory())
        + ": give the worker a bigger heap ("
        + TrainingService.BIGGER_HEAP
        + ") or the work less data";
  }

  private static ApplicationFailure nonRetryable(RuntimeException e, String type) {
    // The message only, capped: no cause chain, so the failure stays well under Temporal's size
    // limit and says what is wrong instead of "Failure exceeds size limit".
    return ApplicationFailure.newNonRetryableFailure(
        InvalidDatasetException.capped(e.getMessage()), type);
  }
}
