package dev.perennial.workflows.pipeline;

import dev.perennial.workflows.FailureTypes;
import dev.perennial.workflows.RequestProblems;
import dev.perennial.workflows.cache.CacheHit;
import dev.perennial.workflows.cache.CacheKey;
import dev.perennial.workflows.cache.CacheQuery;
import dev.perennial.workflows.canary.CanaryResult;
import dev.perennial.workflows.dataset.DatasetSnapshot;
import dev.perennial.workflows.dataset.ValidationReport;
import dev.perennial.workflows.gate.GateDecision;
import dev.perennial.workflows.gate.ValidationGate;
import dev.perennial.workflows.registry.Aliases;
import dev.perennial.workflows.registry.ModelVersion;
import dev.perennial.workflows.search.HyperparameterSearch;
import dev.perennial.workflows.search.SearchResult;
import dev.perennial.workflows.search.Trial;
import dev.perennial.workflows.search.TrialState;
import dev.perennial.workflows.training.Evaluation;
import dev.perennial.workflows.training.Hyperparameters;
import dev.perennial.workflows.training.Slicing;
import dev.perennial.workflows.training.TrainedModel;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;
import java.util.List;

/**
 * The steps behind {@link PipelineRun}'s building blocks: each calls {@link PipelineSteps}, moves
 * the run's {@link PipelineProgress}, and keeps what it made in the {@link RunRecord}.
 */
final class RunStages {
  final PipelineSteps steps = new PipelineSteps();
  private final RunRecord made;
  private final PipelineProgress progress;
  ContinuousTrainingRequest request;

  RunStages(RunRecord made, PipelineProgress progress) {
    this.made = made;
    this.progress = progress;
  }

  /** Checks {@code request}, applies its defaults and starts the run's progress; returns it. */
  ContinuousTrainingRequest start(ContinuousTrainingRequest request) {
    if (request == null) {
      throw ApplicationFailure.newNonRetryableFailure(
          "Invalid "
              + Workflow.getInfo().getWorkflowType()
              + " request: send one JSON object such as {\"model\":\"credit-default\"}",
          FailureTypes.INVALID_REQUEST);
    }
    new RequestProblems()
        .addAll(request.problems())
        .throwIfAny(Workflow.getInfo().getWorkflowType() + " request");
    ContinuousTrainingRequest r = request.withDefaults();
    this.request = r;
    progress.start(r);
    if (r.driftReport() != null) {
      // Only drift-started runs have one, and those are all newer than the memo links: no old
      // history lacks the memo command it adds.
      progress.memo("driftReport", r.driftReport().uri());
    }
    return r;
  }

  DatasetSnapshot snapshot() {
    progress.enter(
        Stage.SNAPSHOT,
        "freezing " + request.dataset().bucket() + "/" + request.dataset().prefix());
    made.snapshot = steps.snapshot(request.dataset());
    progress.memo("datasetVersion", made.snapshot.datasetVersion());
    progress.memo("datasetManifest", made.snapshot.manifest().uri());
    steps.requireTrainingPartitions(made.snapshot, request.holdoutDays());

    progress.enter(
        Stage.VALIDATE,
        "validating "
            + made.snapshot.objects()
            + " objects, "
            + made.snapshot.firstDay()
            + " to "
            + made.snapshot.lastDay());
    ValidationReport report =
        steps.validate(request.model(), made.snapshot, request.validation(), runId());
    progress.memo("validationReport", report.report() == null ? null : report.report().uri());
    made.validation = steps.requireValid(made.snapshot, report);
    return made.snapshot;
  }

  /**
   * Looks up the key of training {@code data} with {@code with} (and {@code search}); the key is
   * kept for the registration. Returns the hit, or null when the run must train: no version has the
   * key, the request forces training, or an unseeded random search would draw other trials.
   */
  CacheHit cached(DatasetSnapshot data, Hyperparameters with, HyperparameterSearch search) {
    progress.enter(Stage.CACHE, "looking for a version made from the same data and options");
    made.cache =
        steps.findCached(
            new CacheQuery(
                request.model(), data, request.holdoutDays(), with.withDefaults(), search));
    if (made.cache == null || request.forced() || !CacheKey.reproducible(search)) {
      return null;
    }
    CacheHit hit = CacheHit.of(made.cache, steps.champion(request.model()));
    if (hit != null) {
      made.hit = hit;
      progress.memo("cache", "v" + hit.version() + " " + made.cache.key().key());
    }
    return hit;
  }

  TrainedModel train(DatasetSnapshot data, Hyperparameters with) {
    // The data trained on is what the evaluation holds out days of and the version records.
    made.snapshot = data;
    made.hyperparameters = with.withDefaults();
    progress.enter(
        Stage.TRAIN,
        "training "
            + made.hyperparameters.algorithm()
            + " on "
            + (data.partitions() - request.holdoutDays())
            + " days");
    made.trained =
        steps.train(request.model(), data, request.holdoutDays(), made.hyperparameters, runId());
    return made.trained;
  }

  /**
   * Searches around {@code base} on {@code data}; the best trial becomes the candidate, as if
   * {@link #train} had trained it with its hyperparameters.
   */
  TrainedModel search(DatasetSnapshot data, Hyperparameters base, HyperparameterSearch search) {
    made.snapshot = data;
    Hyperparameters b = base.withDefaults();
    progress.enter(
        Stage.TRAIN,
        "searching "
            + b.algorithm()
            + " hyperparameters on "
            + (data.partitions() - request.holdoutDays())
            + " days");
    SearchResult result =
        steps.search(
            request.model(),
            data,
            request.holdoutDays(),
            b,
            search,
            runId(),
            r -> {
              made.search = r;
              progress.detail(searchLine(r));
            });
    Trial best = result.bestTrial().orElseThrow();
    made.hyperparameters = best.hyperparameters();
    made.trained = best.trained();
    progress.memo("search", searchLine(result));
    return made.trained;
  }

  /** One line on a search: how far, and the best so far. */
  private static String searchLine(SearchResult r) {
    long done = r.count(TrialState.SUCCEEDED) + r.count(TrialState.FAILED);
    StringBuilder line =
        new StringBuilder("search: ")
            .append(done)
            .append(" of ")
            .append(r.trials().size())
            .append(" trials done");
    long running = r.count(TrialState.RUNNING);
    if (running > 0) {
      line.append(", ").append(running).append(" training");
    }
    long failed = r.count(TrialState.FAILED);
    if (failed > 0) {
      line.append(", ").append(failed).append(" failed");
    }
    r.bestTrial()
        .ifPresent(
            t ->
                line.append("; best ")
                    .append(r.metric())
                    .append(' ')
                    .append(String.format(java.util.Locale.ROOT, "%.4f", t.score()))
                    .append(" (trial ")
                    .append(t.number())
                    .append(')'));
    return line.toString();
  }

  Evaluation evaluate(TrainedModel candidate, List<Slicing> slices) {
    progress.enter(Stage.EVALUATE, "scoring on the last " + request.holdoutDays() + " days");
    made.champion = steps.champion(request.model());
    made.evaluation =
        steps.evaluate(
            request.model(),
            made.snapshot,
            request.holdoutDays(),
            candidate.model(),
            made.champion,
            runId(),
            slices);
    // People open the memo's link, so it points at the page when the worker wrote one. Safe on
    // replay without getVersion: the value comes from the recorded activity result, and memo
    // values are not compared against history.
    progress.memo(
        "evaluationReport",
        (made.evaluation.html() != null ? made.evaluation.html() : made.evaluation.report()).uri());
    return made.evaluation;
  }

  GateDecision gate(ValidationGate gate) {
    progress.enter(
        Stage.GATE,
        made.champion == null ? "no champion yet" : "against champion v" + made.champion.version());
    try {
      made.decision = steps.gate(gate, made.evaluation, made.champion);
    } catch (IllegalArgumentException e) {
      // A gate whose rules need slices the evaluation did not score: a pipeline's mistake that no
      // retry mends, so the run ends saying so instead of its workflow task failing forever.
      throw ApplicationFailure.newNonRetryableFailure(e.getMessage(), FailureTypes.INVALID_REQUEST);
    }
    return made.decision;
  }

  ModelVersion register() {
    if (made.registered == null) {
      progress.enter(Stage.REGISTER, made.decision.passed() ? "gate passed" : "gate refused");
      made.registered =
          steps.register(
              request.model(),
              made.snapshot,
              made.trained,
              made.hyperparameters,
              made.evaluation,
              made.decision,
              request.trigger(),
              request.driftReport(),
              made.search,
              made.cache == null ? null : made.cache.key());
      progress.memo("version", "v" + made.registered.version() + " " + made.registered.status());
    }
    return made.registered;
  }

  CanaryResult canary(boolean shadow) {
    int version = register().version();
    progress.enter(
        Stage.CANARY,
        "v"
            + version
            + (shadow ? " shadowing" : " canary against")
            + " champion v"
            + made.champion.version());
    made.canary =
        shadow
            ? steps.shadow(request.model(), version, request.canary())
            : steps.canary(request.model(), version, request.canary());
    progress.memo("canary", made.canary.outcome() + ": " + made.canary.reason());
    return made.canary;
  }

  void makeChallenger(String reason) {
    int version = register().version();
    progress.enter(Stage.PROMOTE, "v" + version + " becomes challenger");
    steps.setAlias(request.model(), Aliases.CHALLENGER, version, reason);
  }

  private static String runId() {
    return Workflow.getInfo().getRunId();
  }
}
