package dev.perennial.activities.registry;

import dev.perennial.activities.Refusals;
import dev.perennial.core.registry.ModelRegistry;
import dev.perennial.core.training.CacheKeys;
import dev.perennial.core.training.Trainers;
import dev.perennial.workflows.FailureTypes;
import dev.perennial.workflows.cache.CacheKey;
import dev.perennial.workflows.cache.CacheLookup;
import dev.perennial.workflows.cache.CacheQuery;
import dev.perennial.workflows.registry.AliasChange;
import dev.perennial.workflows.registry.ModelVersion;
import dev.perennial.workflows.registry.RegistrationRequest;
import dev.perennial.workflows.registry.RegistryActivities;
import dev.perennial.workflows.registry.Rejection;
import dev.perennial.workflows.registry.TrafficChange;
import java.util.List;

/**
 * {@link RegistryActivities} over {@link ModelRegistry}. Bad input and refusals become
 * non-retryable failures ({@link FailureTypes#INVALID_REQUEST}, {@link
 * FailureTypes#REGISTRY_CONFLICT}); store outages propagate as they are, so Temporal retries them
 * and the registry's idempotent writes make the retry safe.
 */
public final class RegistryActivitiesImpl implements RegistryActivities {

  private final ModelRegistry registry;
  private final CacheKeys cacheKeys;

  /** Over {@code registry}, computing cache keys with the trainers on the class path. */
  public RegistryActivitiesImpl(ModelRegistry registry) {
    this(registry, new CacheKeys(Trainers.onClassPath()));
  }

  /** Over {@code registry}, computing cache keys with {@code cacheKeys}. */
  public RegistryActivitiesImpl(ModelRegistry registry, CacheKeys cacheKeys) {
    this.registry = registry;
    this.cacheKeys = cacheKeys;
  }

  @Override
  public CacheLookup findCached(CacheQuery query) {
    return Refusals.asFailures(
        () -> {
          CacheKey key = cacheKeys.of(query);
          List<ModelVersion> same = registry.versionsWithCacheKey(query.model(), key.key());
          return new CacheLookup(
              key,
              same.stream().map(ModelVersion::version).toList(),
              same.isEmpty() ? null : same.get(same.size() - 1));
        });
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
                change.shadow(),
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
