package dev.perennial.workflows.pipeline;

import dev.perennial.workflows.ActivityStubs;
import dev.perennial.workflows.FailureTypes;
import dev.perennial.workflows.ObjectRef;
import dev.perennial.workflows.TaskQueues;
import dev.perennial.workflows.Trigger;
import dev.perennial.workflows.cache.CacheKey;
import dev.perennial.workflows.cache.CacheLookup;
import dev.perennial.workflows.cache.CacheQuery;
import dev.perennial.workflows.canary.CanaryPolicy;
import dev.perennial.workflows.canary.CanaryResult;
import dev.perennial.workflows.canary.CanaryRolloutRequest;
import dev.perennial.workflows.canary.CanaryRolloutWorkflow;
import dev.perennial.workflows.canary.RolloutMode;
import dev.perennial.workflows.dataset.DatasetActivities;
import dev.perennial.workflows.dataset.DatasetSnapshot;
import dev.perennial.workflows.dataset.DatasetSpec;
import dev.perennial.workflows.dataset.ValidationJob;
import dev.perennial.workflows.dataset.ValidationReport;
import dev.perennial.workflows.dataset.ValidationRules;
import dev.perennial.workflows.gate.GateDecision;
import dev.perennial.workflows.gate.GatePolicy;
import dev.perennial.workflows.gate.ValidationGate;
import dev.perennial.workflows.registry.AliasChange;
import dev.perennial.workflows.registry.ModelVersion;
import dev.perennial.workflows.registry.RegistrationRequest;
import dev.perennial.workflows.registry.RegistryActivities;
import dev.perennial.workflows.registry.Rejection;
import dev.perennial.workflows.search.HyperparameterSearch;
import dev.perennial.workflows.search.SearchResult;
import dev.perennial.workflows.search.SearchRun;
import dev.perennial.workflows.training.Evaluation;
import dev.perennial.workflows.training.EvaluationJob;
import dev.perennial.workflows.training.Hyperparameters;
import dev.perennial.workflows.training.Slicing;
import dev.perennial.workflows.training.TrainedModel;
import dev.perennial.workflows.training.TrainingActivities;
import dev.perennial.workflows.training.TrainingJob;
import io.temporal.api.enums.v1.ParentClosePolicy;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Workflow;
import java.util.List;
import java.util.function.Consumer;

/**
 * The building blocks of a training pipeline, for use inside workflow code. Each step is one
 * activity call (or, for the gate, plain deterministic code) with the options from {@link
 * ActivityStubs}; a new pipeline composes them in its own workflow class.
 *
 * <p>Create one instance per workflow execution, in the workflow implementation's constructor or
 * field initialiser.
 */
public final class PipelineSteps {
  private final DatasetActivities datasets =
      Workflow.newActivityStub(DatasetActivities.class, ActivityStubs.DATASET);
  private final TrainingActivities training =
      Workflow.newActivityStub(TrainingActivities.class, ActivityStubs.TRAINING);
  private final RegistryActivities registry =
      Workflow.newActivityStub(RegistryActivities.class, ActivityStubs.REGISTRY);

  /** Freezes the dataset into an immutable snapshot. */
  public DatasetSnapshot snapshot(DatasetSpec spec) {
    return datasets.snapshot(spec);
  }

  /**
   * Validates the snapshot and ends the run with a non-retryable {@link
   * FailureTypes#DATA_VALIDATION_FAILED} listing every violation when a hard rule is broken.
   */
  public ValidationReport validateOrFail(
      String model, DatasetSnapshot snapshot, ValidationRules rules, String runId) {
    return requireValid(snapshot, validate(model, snapshot, rules, runId));
  }

  /** Validates the snapshot and returns the report, passed or not. */
  public ValidationReport validate(
      String model, DatasetSnapshot snapshot, ValidationRules rules, String runId) {
    return datasets.validate(new ValidationJob(model, snapshot, rules, runId));
  }

  /**
   * Returns the report when it passed; otherwise ends the run with a non-retryable {@link
   * FailureTypes#DATA_VALIDATION_FAILED} listing every violation.
   */
  public ValidationReport requireValid(DatasetSnapshot snapshot, ValidationReport report) {
    if (!report.passed()) {
      List<String> v = report.violations();
      throw ApplicationFailure.newNonRetryableFailure(
          "Dataset "
              + shortVersion(snapshot.datasetVersion())
              + " ("
              + snapshot.firstDay()
              + " to "
              + snapshot.lastDay()
              + ") failed validation with "
              + v.size()
              + (v.size() == 1 ? " violation: " : " violations: ")
              + String.join("; ", v)
              + ". Full report: "
              + (report.report() == null ? "none" : report.report().uri()),
          FailureTypes.DATA_VALIDATION_FAILED,
          report);
    }
    return report;
  }

  /** Checks that some partitions remain for training once the held-out window is taken. */
  public void requireTrainingPartitions(DatasetSnapshot snapshot, int holdoutDays) {
    if (snapshot.partitions() <= holdoutDays) {
      throw ApplicationFailure.newNonRetryableFailure(
          "Dataset "
              + snapshot.firstDay()
              + " to "
              + snapshot.lastDay()
              + " has "
              + snapshot.partitions()
              + " daily partitions, but holdoutDays="
              + holdoutDays
              + " leaves none to train on: widen the date range or lower holdoutDays",
          FailureTypes.INVALID_DATASET);
    }
  }

  /** Trains a candidate (heavy task queue, heartbeats). */
  public TrainedModel train(
      String model,
      DatasetSnapshot snapshot,
      int holdoutDays,
      Hyperparameters hyperparameters,
      String runId) {
    return training.train(new TrainingJob(model, snapshot, holdoutDays, hyperparameters, runId));
  }

  /**
   * Trains the trials of {@code search} around {@code base} on the training queue, at most its
   * parallelism at once, and picks the best by its validation metric ({@link SearchRun}); each
   * trial's artifacts go under {@code runId/trial-NN}. {@code progress} hears every trial's change.
   */
  public SearchResult search(
      String model,
      DatasetSnapshot snapshot,
      int holdoutDays,
      Hyperparameters base,
      HyperparameterSearch search,
      String runId,
      Consumer<SearchResult> progress) {
    return new SearchRun(training)
        .run(new TrainingJob(model, snapshot, holdoutDays, base, runId), search, progress);
  }

  /**
   * The step cache's lookup: the key of what {@code query} trains, and the registered versions with
   * the same key (a registry read).
   */
  public CacheLookup findCached(CacheQuery query) {
    return registry.findCached(query);
  }

  /** The model's current champion, or null. */
  public ModelVersion champion(String model) {
    return registry.findAlias(model, dev.perennial.workflows.registry.Aliases.CHAMPION);
  }

  /** Scores candidate and champion (if any) on the held-out window. */
  public Evaluation evaluate(
      String model,
      DatasetSnapshot snapshot,
      int holdoutDays,
      ObjectRef candidate,
      ModelVersion champion,
      String runId) {
    return evaluate(model, snapshot, holdoutDays, candidate, champion, runId, List.of());
  }

  /**
   * Scores candidate and champion (if any) on the held-out window, overall and per slice of each of
   * {@code slices} (a gate's {@link ValidationGate#slicings()}).
   */
  public Evaluation evaluate(
      String model,
      DatasetSnapshot snapshot,
      int holdoutDays,
      ObjectRef candidate,
      ModelVersion champion,
      String runId,
      List<Slicing> slices) {
    ObjectRef championModel = champion == null ? null : champion.artifacts().model();
    return training.evaluate(
        new EvaluationJob(model, snapshot, holdoutDays, candidate, championModel, runId, slices));
  }

  /** The gate a {@link GatePolicy} describes, as deterministic workflow code. */
  public GateDecision gate(GatePolicy policy, Evaluation evaluation, ModelVersion champion) {
    return gate(ValidationGate.of(policy), evaluation, champion);
  }

  /** Applies {@code gate} to the evaluation, as deterministic workflow code. */
  public GateDecision gate(ValidationGate gate, Evaluation evaluation, ModelVersion champion) {
    return gate.decide(evaluation, champion == null ? null : champion.version());
  }

  /** Registers the candidate; idempotent per workflow run. */
  public ModelVersion register(
      String model,
      DatasetSnapshot snapshot,
      TrainedModel trained,
      Hyperparameters hyperparameters,
      Evaluation evaluation,
      GateDecision decision,
      Trigger trigger,
      ObjectRef driftReport) {
    return register(
        model,
        snapshot,
        trained,
        hyperparameters,
        evaluation,
        decision,
        trigger,
        driftReport,
        null);
  }

  /**
   * Registers the candidate with the search that picked it (every trial is recorded with the
   * version); idempotent per workflow run.
   */
  public ModelVersion register(
      String model,
      DatasetSnapshot snapshot,
      TrainedModel trained,
      Hyperparameters hyperparameters,
      Evaluation evaluation,
      GateDecision decision,
      Trigger trigger,
      ObjectRef driftReport,
      SearchResult search) {
    return register(
        model,
        snapshot,
        trained,
        hyperparameters,
        evaluation,
        decision,
        trigger,
        driftReport,
        search,
        null);
  }

  /**
   * Registers the candidate with the search that picked it (null: none) and its cache key (null:
   * not looked up), recorded in the version's manifest; idempotent per workflow run.
   */
  public ModelVersion register(
      String model,
      DatasetSnapshot snapshot,
      TrainedModel trained,
      Hyperparameters hyperparameters,
      Evaluation evaluation,
      GateDecision decision,
      Trigger trigger,
      ObjectRef driftReport,
      SearchResult search,
      CacheKey cacheKey) {
    var info = Workflow.getInfo();
    return registry.register(
        new RegistrationRequest(
            model,
            info.getWorkflowId() + "/" + info.getRunId(),
            snapshot,
            trained,
            hyperparameters,
            evaluation,
            decision,
            trigger,
            info.getWorkflowId(),
            info.getRunId(),
            driftReport,
            search,
            cacheKey));
  }

  /** Points an alias at a version, audited with this run as the actor. */
  public void setAlias(String model, String alias, int version, String reason) {
    setAlias(model, alias, version, reason, thisRun());
  }

  /** Points an alias at a version, audited with {@code actor} (a person, for an approval). */
  public void setAlias(String model, String alias, int version, String reason, String actor) {
    registry.setAlias(new AliasChange(model, alias, version, reason, actor));
  }

  /**
   * Withdraws a registered version for good (it may take no alias and no traffic again), audited
   * with {@code actor}.
   */
  public void withdraw(String model, int version, String reason, String actor) {
    registry.reject(new Rejection(model, version, reason, actor, null));
  }

  private static String thisRun() {
    return "workflow:" + Workflow.getInfo().getWorkflowId();
  }

  static String shortVersion(String datasetVersion) {
    return datasetVersion == null || datasetVersion.length() < 12
        ? String.valueOf(datasetVersion)
        : datasetVersion.substring(0, 12);
  }

  /**
   * Rolls {@code version} out against the champion as a {@code CanaryRollout} child workflow (id
   * {@code canary-rollout-<model>}: one per model at a time) and waits for its verdict. If this run
   * ends first, the child is asked to cancel, which hands all traffic back to the champion.
   */
  public CanaryResult canary(String model, int version, CanaryPolicy policy) {
    return rollout(model, version, policy, null);
  }

  /**
   * Shadows {@code version} beside the champion as a {@code CanaryRollout} child in shadow mode
   * (the same id: a model has one rollout at a time) and waits for its verdict; cancelled with this
   * run like {@link #canary}.
   */
  public CanaryResult shadow(String model, int version, CanaryPolicy policy) {
    return rollout(model, version, policy, RolloutMode.SHADOW);
  }

  private CanaryResult rollout(String model, int version, CanaryPolicy policy, RolloutMode mode) {
    CanaryRolloutWorkflow child =
        Workflow.newChildWorkflowStub(
            CanaryRolloutWorkflow.class,
            ChildWorkflowOptions.newBuilder()
                .setWorkflowId(CanaryRolloutWorkflow.workflowId(model))
                .setTaskQueue(TaskQueues.PIPELINES)
                .setParentClosePolicy(ParentClosePolicy.PARENT_CLOSE_POLICY_REQUEST_CANCEL)
                .build());
    return child.run(new CanaryRolloutRequest(model, version, policy, thisRun(), mode));
  }
}
