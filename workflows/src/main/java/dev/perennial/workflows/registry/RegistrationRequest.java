package dev.perennial.workflows.registry;

import dev.perennial.workflows.ObjectRef;
import dev.perennial.workflows.Trigger;
import dev.perennial.workflows.cache.CacheKey;
import dev.perennial.workflows.dataset.DatasetSnapshot;
import dev.perennial.workflows.gate.GateDecision;
import dev.perennial.workflows.search.SearchResult;
import dev.perennial.workflows.training.Evaluation;
import dev.perennial.workflows.training.Hyperparameters;
import dev.perennial.workflows.training.TrainedModel;

/**
 * Input of {@link RegistryActivities#register}. {@code idempotencyKey} makes retries safe: a second
 * registration with the same key returns the version the first one created. {@code driftReport} is
 * the drift report that started the run, null for other triggers. {@code search} is the
 * hyperparameter search that picked the candidate's hyperparameters, every trial with it; null when
 * the run trained once. {@code cacheKey} is what made the candidate as the step cache compares
 * runs, recorded with the version; null when the pipeline did not look it up.
 */
public record RegistrationRequest(
    String model,
    String idempotencyKey,
    DatasetSnapshot dataset,
    TrainedModel artifacts,
    Hyperparameters hyperparameters,
    Evaluation evaluation,
    GateDecision gate,
    Trigger trigger,
    String workflowId,
    String runId,
    ObjectRef driftReport,
    SearchResult search,
    CacheKey cacheKey) {

  /** A registration of a candidate trained once, without a search or cache key. */
  public RegistrationRequest(
      String model,
      String idempotencyKey,
      DatasetSnapshot dataset,
      TrainedModel artifacts,
      Hyperparameters hyperparameters,
      Evaluation evaluation,
      GateDecision gate,
      Trigger trigger,
      String workflowId,
      String runId,
      ObjectRef driftReport) {
    this(
        model,
        idempotencyKey,
        dataset,
        artifacts,
        hyperparameters,
        evaluation,
        gate,
        trigger,
        workflowId,
        runId,
        driftReport,
        null,
        null);
  }
}
