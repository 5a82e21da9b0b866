package dev.perennial.workflows.cache;

import dev.perennial.workflows.registry.ModelVersion;
import java.util.List;

/**
 * Result of {@link dev.perennial.workflows.registry.RegistryActivities#findCached}.
 *
 * @param key the run's cache key, to record with the version it registers
 * @param matches the numbers of the registered versions with the same key, oldest first (more than
 *     one when a run was forced)
 * @param latest the newest of them, null when none matches
 */
public record CacheLookup(CacheKey key, List<Integer> matches, ModelVersion latest) {

  public CacheLookup {
    matches = matches == null ? List.of() : List.copyOf(matches);
  }

  /** A lookup that found no version with {@code key}. */
  public static CacheLookup miss(CacheKey key) {
    return new CacheLookup(key, List.of(), null);
  }
}
