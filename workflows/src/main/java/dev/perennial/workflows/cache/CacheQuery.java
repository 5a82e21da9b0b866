package dev.perennial.workflows.cache;

import dev.perennial.workflows.dataset.DatasetSnapshot;
import dev.perennial.workflows.search.HyperparameterSearch;
import dev.perennial.workflows.training.Hyperparameters;

/**
 * Input of {@link dev.perennial.workflows.registry.RegistryActivities#findCached}: what a run is
 * about to train.
 *
 * @param model model name
 * @param snapshot the validated snapshot it trains on
 * @param holdoutDays partitions kept back for evaluation
 * @param hyperparameters with defaults applied (the base of the search, when there is one)
 * @param search the hyperparameter search, null when the run trains once
 */
public record CacheQuery(
    String model,
    DatasetSnapshot snapshot,
    int holdoutDays,
    Hyperparameters hyperparameters,
    HyperparameterSearch search) {}
