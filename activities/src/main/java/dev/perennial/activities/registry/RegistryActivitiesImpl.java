package dev.perennial.activities.registry;

import dev.perennial.workflows.FailureTypes;
import dev.perennial.workflows.registry.AliasChange;
import dev.perennial.workflows.registry.ModelVersion;
import dev.perennial.workflows.registry.RegistrationRequest;
import dev.perennial.workflows.registry.RegistryActivities;
import io.temporal.failure.ApplicationFailure;
import java.util.function.Supplier;

/**
 * {@link RegistryActivities} over {@link ModelRegistry}. Bad input and refusals become
 * non-retryable failures ({@link FailureTypes#INVALID_REQUEST}, {@link
 * FailureTypes#REGISTRY_CONFLICT}); store outages propagate as they are, so Temporal retries them
 * and the registry's idempotent writes make the retry safe.
 */
public final class RegistryActivitiesImpl implements RegistryActivities {

  private final ModelRegistry registry;

  public RegistryActivitiesImpl(ModelRegistry registry) {
    this.registry = registry;
  }

  @Override
  public ModelVersion register(RegistrationRequest request) {
    return refusalsAsFailures(() -> registry.register(request));
  }

  @Override
  public ModelVersion findAlias(String model, String alias) {
    return refusalsAsFailures(() -> registry.findAlias(model, alias));
  }

  @Override
  public void setAlias(AliasChange change) {
    refusalsAsFailures(() -> registry.setAlias(change));
  }

  private static <T> T refusalsAsFailures(Supplier<T> call) {
    try {
      return call.get();
    } catch (IllegalArgumentException e) {
      throw ApplicationFailure.newNonRetryableFailure(e.getMessage(), FailureTypes.INVALID_REQUEST);
    } catch (RegistryConflictException e) {
      throw ApplicationFailure.newNonRetryableFailure(
          e.getMessage(), FailureTypes.REGISTRY_CONFLICT);
    }
  }
}
