package dev.perennial.workflows.pipeline;

import dev.perennial.workflows.FailureTypes;
import dev.perennial.workflows.PerennialSearchAttributes;
import dev.perennial.workflows.RequestProblems;
import dev.perennial.workflows.canary.CanaryResult;
import dev.perennial.workflows.dataset.DatasetSnapshot;
import dev.perennial.workflows.dataset.ValidationReport;
import dev.perennial.workflows.gate.GateDecision;
import dev.perennial.workflows.registry.Aliases;
import dev.perennial.workflows.registry.ModelVersion;
import dev.perennial.workflows.training.Evaluation;
import dev.perennial.workflows.training.TrainedModel;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Workflow;
import org.slf4j.Logger;

/** The continuous-training pipeline, composed from {@link PipelineSteps}. */
public class ContinuousTrainingWorkflowImpl implements ContinuousTrainingWorkflow {
  private static final Logger log = Workflow.getLogger(ContinuousTrainingWorkflowImpl.class);
  private static final Stage[] PROGRESS_ORDER = {
    Stage.STARTING,
    Stage.SNAPSHOT,
    Stage.VALIDATE,
    Stage.TRAIN,
    Stage.EVALUATE,
    Stage.GATE,
    Stage.REGISTER,
    Stage.CANARY,
    Stage.PROMOTE,
    Stage.DONE
  };

  /**
   * Change id: runs from version 1 on keep links to their reports in the memo (shown in the UI).
   * Runs recorded before it replay without the memo commands.
   */
  static final String MEMO_REPORT_LINKS = "memo-report-links";

  /**
   * Change id: runs from version 1 on hand a gated candidate to a {@code CanaryRollout} child
   * (rollout CANARY, the default). Runs recorded before it make the candidate challenger.
   */
  static final String CANARY_HANDOFF = "canary-handoff";

  private final PipelineSteps steps = new PipelineSteps();
  private boolean memoLinks;
  private PipelineStatus status =
      new PipelineStatus(null, Stage.STARTING, 0.0, "starting", null, null, null);
  private CancellationScope scope;
  private String abortReason;

  // Filled in as the run goes, so an abort can still report how far it got.
  private DatasetSnapshot snapshot;
  private ValidationReport validation;
  private Evaluation evaluation;
  private GateDecision decision;
  private ModelVersion registered;
  private CanaryResult canary;

  @Override
  public ContinuousTrainingResult run(ContinuousTrainingRequest request) {
    if (request == null) {
      throw ApplicationFailure.newNonRetryableFailure(
          "Invalid ContinuousTraining request: send one JSON object such as"
              + " {\"model\":\"credit-default\"}",
          FailureTypes.INVALID_REQUEST);
    }
    new RequestProblems().addAll(request.problems()).throwIfAny("ContinuousTraining request");
    ContinuousTrainingRequest r = request.withDefaults();
    status = new PipelineStatus(r.model(), Stage.STARTING, 0.0, "starting", null, null, null);
    Workflow.upsertTypedSearchAttributes(
        PerennialSearchAttributes.MODEL.valueSet(r.model()),
        PerennialSearchAttributes.TRIGGER.valueSet(r.trigger().name()),
        PerennialSearchAttributes.STAGE.valueSet(Stage.STARTING.name()));

    memoLinks = Workflow.getVersion(MEMO_REPORT_LINKS, Workflow.DEFAULT_VERSION, 1) >= 1;
    if (r.driftReport() != null) {
      // Only drift-started runs have one, and those are all newer than this line: no old history
      // lacks the memo command it adds.
      memo("driftReport", r.driftReport().uri());
    }
    ContinuousTrainingResult[] result = new ContinuousTrainingResult[1];
    scope = Workflow.newCancellationScope(() -> result[0] = pipeline(r));
    if (abortReason != null) {
      scope.cancel(abortReason);
    }
    try {
      scope.run();
    } catch (TemporalFailure e) {
      if (abortReason != null && isCancellation(e)) {
        return aborted(r);
      }
      enter(Stage.FAILED, e.getMessage());
      throw e;
    }
    if (abortReason != null && result[0] == null) {
      return aborted(r);
    }
    return result[0];
  }

  private ContinuousTrainingResult pipeline(ContinuousTrainingRequest r) {
    String model = r.model();
    String runId = Workflow.getInfo().getRunId();
    int holdout = r.holdoutDays();

    enter(Stage.SNAPSHOT, "freezing " + r.dataset().bucket() + "/" + r.dataset().prefix());
    snapshot = steps.snapshot(r.dataset());
    memo("datasetVersion", snapshot.datasetVersion());
    memo("datasetManifest", snapshot.manifest().uri());
    steps.requireTrainingPartitions(snapshot, holdout);

    enter(
        Stage.VALIDATE,
        "validating "
            + snapshot.objects()
            + " objects, "
            + snapshot.firstDay()
            + " to "
            + snapshot.lastDay());
    ValidationReport report = steps.validate(model, snapshot, r.validation(), runId);
    memo("validationReport", report.report() == null ? null : report.report().uri());
    validation = steps.requireValid(snapshot, report);

    enter(
        Stage.TRAIN,
        "training "
            + r.hyperparameters().algorithm()
            + " on "
            + (snapshot.partitions() - holdout)
            + " days");
    TrainedModel trained = steps.train(model, snapshot, holdout, r.hyperparameters(), runId);

    enter(Stage.EVALUATE, "scoring on the last " + holdout + " days");
    ModelVersion champion = steps.champion(model);
    evaluation = steps.evaluate(model, snapshot, holdout, trained.model(), champion, runId);
    // People open the memo's link, so it points at the page when the worker wrote one. Safe on
    // replay without getVersion: the value comes from the recorded activity result, and memo
    // values are not compared against history.
    memo(
        "evaluationReport",
        (evaluation.html() != null ? evaluation.html() : evaluation.report()).uri());

    enter(
        Stage.GATE,
        champion == null ? "no champion yet" : "against champion v" + champion.version());
    decision = steps.gate(r.gate(), evaluation, champion);

    enter(Stage.REGISTER, decision.passed() ? "gate passed" : "gate refused");
    registered =
        steps.register(
            model,
            snapshot,
            trained,
            r.hyperparameters(),
            evaluation,
            decision,
            r.trigger(),
            r.driftReport());
    memo("version", "v" + registered.version() + " " + registered.status());

    Outcome outcome;
    String message;
    if (!decision.passed()) {
      outcome = Outcome.REJECTED;
      long failed = decision.checks().stream().filter(c -> !c.passed()).count();
      message =
          "v"
              + registered.version()
              + " refused by the gate ("
              + failed
              + (failed == 1 ? " check" : " checks")
              + " failed)";
    } else if (champion == null || r.rollout() == Rollout.PROMOTE) {
      enter(Stage.PROMOTE, "v" + registered.version() + " becomes champion");
      steps.setAlias(
          model,
          Aliases.CHAMPION,
          registered.version(),
          champion == null
              ? "first version to pass the gate"
              : "passed the gate against v" + champion.version() + " (rollout PROMOTE)");
      outcome = Outcome.PROMOTED;
      message = "v" + registered.version() + " is champion";
    } else if (r.rollout() == Rollout.CANARY
        && Workflow.getVersion(CANARY_HANDOFF, Workflow.DEFAULT_VERSION, 1) >= 1) {
      enter(
          Stage.CANARY,
          "v" + registered.version() + " canary against champion v" + champion.version());
      canary = steps.canary(model, registered.version(), r.canary());
      memo("canary", canary.outcome() + ": " + canary.reason());
      switch (canary.outcome()) {
        case PROMOTED -> {
          outcome = Outcome.PROMOTED;
          message = "v" + registered.version() + " is champion after its canary";
        }
        case ROLLED_BACK -> {
          outcome = Outcome.ROLLED_BACK;
          message =
              "v"
                  + registered.version()
                  + " rolled back by its canary ("
                  + canary.reason()
                  + "); v"
                  + champion.version()
                  + " stays champion";
        }
        default -> {
          enter(Stage.PROMOTE, "v" + registered.version() + " becomes challenger");
          steps.setAlias(
              model,
              Aliases.CHALLENGER,
              registered.version(),
              "passed the gate; canary " + canary.outcome() + ": " + canary.reason());
          outcome = Outcome.CHALLENGER;
          message =
              "v"
                  + registered.version()
                  + " is challenger: its canary ended "
                  + canary.outcome()
                  + " ("
                  + canary.reason()
                  + ")";
        }
      }
    } else {
      enter(Stage.PROMOTE, "v" + registered.version() + " becomes challenger");
      steps.setAlias(
          model,
          Aliases.CHALLENGER,
          registered.version(),
          "passed the gate against champion v" + champion.version());
      outcome = Outcome.CHALLENGER;
      message =
          "v"
              + registered.version()
              + " passed the gate and is challenger to champion v"
              + champion.version();
    }
    enter(Stage.DONE, message);
    log.info("{}: {}", model, message);
    return result(model, outcome, message);
  }

  /** Adds a link or fact to the run's memo (new runs only, see {@link #MEMO_REPORT_LINKS}). */
  private void memo(String key, String value) {
    if (memoLinks && value != null) {
      Workflow.upsertMemo(java.util.Map.of(key, value));
    }
  }

  @Override
  public PipelineStatus status() {
    return status;
  }

  @Override
  public void abort(String reason) {
    abortReason = reason == null || reason.isBlank() ? "aborted" : reason;
    if (scope != null) {
      scope.cancel(abortReason);
    }
  }

  private ContinuousTrainingResult aborted(ContinuousTrainingRequest r) {
    String message = "aborted at " + status.stage() + ": " + abortReason;
    enter(Stage.ABORTED, message);
    return result(r.model(), Outcome.ABORTED, message);
  }

  private ContinuousTrainingResult result(String model, Outcome outcome, String message) {
    return new ContinuousTrainingResult(
        model,
        outcome,
        registered == null ? null : registered.version(),
        decision,
        evaluation == null ? null : evaluation.candidate(),
        evaluation == null ? null : evaluation.champion(),
        snapshot == null ? null : snapshot.datasetVersion(),
        validation == null ? null : validation.report(),
        evaluation == null ? null : evaluation.report(),
        message,
        canary,
        evaluation == null ? null : evaluation.html());
  }

  private void enter(Stage stage, String detail) {
    double progress = status.progress();
    for (int i = 0; i < PROGRESS_ORDER.length; i++) {
      if (PROGRESS_ORDER[i] == stage) {
        progress = (double) i / (PROGRESS_ORDER.length - 1);
      }
    }
    status =
        new PipelineStatus(
            status.model(),
            stage,
            progress,
            detail,
            snapshot == null ? null : snapshot.datasetVersion(),
            registered == null ? null : registered.version(),
            decision);
    Workflow.upsertTypedSearchAttributes(PerennialSearchAttributes.STAGE.valueSet(stage.name()));
  }

  private static boolean isCancellation(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof CanceledFailure) {
        return true;
      }
    }
    return false;
  }
}
