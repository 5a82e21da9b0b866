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
 * A registered model version: the trail of which data, code and parameters made it, how it scored
 * and what the gate said. Stored as the version's manifest in the registry.
 *
 * @param model model name
 * @param version 1, 2, 3, ... per model
 * @param status gate outcome
 * @param dataset the snapshot it was trained and evaluated on
 * @param artifacts model bundle, hyperparameters, schema, reference profile
 * @param hyperparameters the hyperparameters, inline for people
 * @param evaluation candidate and champion metrics on the held-out window
 * @param gate the gate's decision and reasons
 * @param trigger why the run started
 * @param workflowId the pipeline run's workflow id
 * @param runId the pipeline run's run id
 * @param createdAt ISO-8601 instant of registration
 * @param rejection why an approved version was later withdrawn (e.g. its canary breached a
 *     threshold); null unless that happened. Status is then {@link VersionStatus#REJECTED}.
 * @param driftReport the drift report that started the run that trained it; null unless the drift
 *     monitor started it
 * @param search the hyperparameter search that picked its hyperparameters: every trial's
 *     hyperparameters, score, artifacts and worker, and which was best; null when the run trained
 *     once (and in entries written before searches existed)
 * @param cacheKey what made it, as the step cache compares runs ({@link CacheKey}): a run with the
 *     same data, options and code trains nothing and names this version; null in entries written
 *     before the cache existed, so it is the last component
 */
public record ModelVersion(
    String model,
    int version,
    VersionStatus status,
    DatasetSnapshot dataset,
    TrainedModel artifacts,
    Hyperparameters hyperparameters,
    Evaluation evaluation,
    GateDecision gate,
    Trigger trigger,
    String workflowId,
    String runId,
    String createdAt,
    Rejection rejection,
    ObjectRef driftReport,
    SearchResult search,
    CacheKey cacheKey) {

  /**
   * A version trained once, without a search or cache key, as versions were written before those
   * existed.
   */
  public ModelVersion(
      String model,
      int version,
      VersionStatus status,
      DatasetSnapshot dataset,
      TrainedModel artifacts,
      Hyperparameters hyperparameters,
      Evaluation evaluation,
      GateDecision gate,
      Trigger trigger,
      String workflowId,
      String runId,
      String createdAt,
      Rejection rejection,
      ObjectRef driftReport) {
    this(
        model,
        version,
        status,
        dataset,
        artifacts,
        hyperparameters,
        evaluation,
        gate,
        trigger,
        workflowId,
        runId,
        createdAt,
        rejection,
        driftReport,
        null,
        null);
  }

  /** The same version, withdrawn for {@code why}. */
  public ModelVersion rejected(Rejection why) {
    return new ModelVersion(
        model,
        version,
        VersionStatus.REJECTED,
        dataset,
        artifacts,
        hyperparameters,
        evaluation,
        gate,
        trigger,
        workflowId,
        runId,
        createdAt,
        why,
        driftReport,
        search,
        cacheKey);
  }
}
