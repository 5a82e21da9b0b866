package dev.perennial.activities.registry;

import dev.perennial.activities.Refusals;
import dev.perennial.core.registry.ModelRegistry;
import dev.perennial.workflows.FailureTypes;
import dev.perennial.workflows.registry.AliasChange;
import dev.perennial.workflows.registry.ModelVersion;
import dev.perennial.workflows.registry.RegistrationRequest;
import dev.perennial.workflows.registry.RegistryActivities;
import dev.perennial.workflows.registry.Rejection;
import dev.perennial.workflows.registry.TrafficChange;

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
    return Refusals.asFailures(() -> registry.register(request));
  }

  @Override
  public ModelVersion findAlias(String model, String alias) {
    return Refusals.asFailures(() -> registry.findAlias(model, alias));
  }

  @Override
  public void setTrafficSplit(TrafficChange change) {
    Refusals.asFailures(
        () ->
            registry.setTrafficSplit(
                change.model(),
                change.canaryVersion(),
                change.canaryPercent(),
                change.reason(),
                change.actor()));
  }

  @Override
  public void setAlias(AliasChange change) {
    Refusals.asFailures(() -> registry.setAlias(change));
  }

  @Override
  public void reject(Rejection rejection) {
    Refusals.asFailures(
        () -> {
          if (rejection == null) {
            throw new IllegalArgumentException("Invalid rejection: nothing given");
          }
          return registry.reject(
              rejection.model(), rejection.version(), rejection.reason(), rejection.actor());
        });
  }
}
