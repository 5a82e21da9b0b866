package dev.perennial.workflows.pipeline;

import dev.perennial.workflows.cache.CacheHit;
import dev.perennial.workflows.cache.CacheLookup;
import dev.perennial.workflows.canary.CanaryResult;
import dev.perennial.workflows.dataset.DatasetSnapshot;
import dev.perennial.workflows.dataset.ValidationReport;
import dev.perennial.workflows.gate.GateDecision;
import dev.perennial.workflows.registry.ModelVersion;
import dev.perennial.workflows.search.SearchResult;
import dev.perennial.workflows.training.Evaluation;
import dev.perennial.workflows.training.Hyperparameters;
import dev.perennial.workflows.training.TrainedModel;

/**
 * What a {@link PipelineRun} has made so far, filled in as the run goes, so its result, an abort or
 * a failure can still report how far it got.
 */
final class RunRecord {
  DatasetSnapshot snapshot;
  ValidationReport validation;
  TrainedModel trained;
  Hyperparameters hyperparameters;
  ModelVersion champion;
  Evaluation evaluation;
  GateDecision decision;
  ModelVersion registered;
  CanaryResult canary;
  SearchResult search;
  CacheLookup cache;
  CacheHit hit;

  /** The snapshot's dataset version, or null before the snapshot. */
  String datasetVersion() {
    return snapshot == null ? null : snapshot.datasetVersion();
  }

  /** The registered version's number, or the cached version's on a hit, or null before either. */
  Integer version() {
    if (registered != null) {
      return registered.version();
    }
    return hit == null ? null : hit.version();
  }

  /** The run's result for {@code model}, with everything made so far. */
  ContinuousTrainingResult result(String model, Outcome outcome, String message) {
    return ContinuousTrainingResult.builder(model, outcome, message)
        .version(version())
        .decision(decision)
        .evaluation(evaluation)
        .datasetVersion(datasetVersion())
        .validationReport(validation == null ? null : validation.report())
        .canary(canary)
        .cacheKey(cache == null ? null : cache.key())
        .build();
  }
}
