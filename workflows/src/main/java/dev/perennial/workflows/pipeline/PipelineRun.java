package dev.perennial.workflows.pipeline;

import dev.perennial.workflows.FailureTypes;
import dev.perennial.workflows.PerennialSearchAttributes;
import dev.perennial.workflows.RequestProblems;
import dev.perennial.workflows.approval.Approval;
import dev.perennial.workflows.approval.ApprovalDecision;
import dev.perennial.workflows.approval.ApprovalRequest;
import dev.perennial.workflows.canary.CanaryResult;
import dev.perennial.workflows.dataset.DatasetSnapshot;
import dev.perennial.workflows.dataset.ValidationReport;
import dev.perennial.workflows.gate.GateDecision;
import dev.perennial.workflows.gate.ValidationGate;
import dev.perennial.workflows.registry.Aliases;
import dev.perennial.workflows.registry.ModelVersion;
import dev.perennial.workflows.training.Evaluation;
import dev.perennial.workflows.training.Hyperparameters;
import dev.perennial.workflows.training.TrainedModel;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;

/**
 * One pipeline run's building blocks together with its bookkeeping: each step calls {@link
 * PipelineSteps}, moves the {@code status} query's stage and progress, sets the {@code
 * PerennialStage} search attribute, links its reports from the memo, and remembers what it made, so
 * the run's result, an abort or a failure can say how far it got. Create one per workflow
 * execution, as a field (or extend {@link PipelineWorkflow}, which does):
 *
 * <pre>{@code
 * return pipeline.execute(request, r -> {
 *   pipeline.evaluate(pipeline.train(pipeline.snapshot(), FOREST));
 *   if (!pipeline.gate(STRICT).passed()) {
 *     return pipeline.rejected();
 *   }
 *   return pipeline.promoteIfApproved(Duration.ofDays(2));
 * });
 * }</pre>
 *
 * <p>Every outcome method registers the candidate first if the pipeline did not call {@link
 * #register} itself: each gated candidate becomes a version, passed or refused.
 */
public final class PipelineRun {
  private static final Logger log = Workflow.getLogger(PipelineRun.class);
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

  private final PipelineSteps steps = new PipelineSteps();
  private final Approval approval = new Approval();
  private boolean memoLinks;
  private PipelineStatus status =
      new PipelineStatus(null, Stage.STARTING, 0.0, "starting", null, null, null);
  private CancellationScope scope;
  private String abortReason;
  private ContinuousTrainingRequest request;

  // Filled in as the run goes, so an abort can still report how far it got.
  private DatasetSnapshot snapshot;
  private ValidationReport validation;
  private TrainedModel trained;
  private Hyperparameters hyperparameters;
  private ModelVersion champion;
  private Evaluation evaluation;
  private GateDecision decision;
  private ModelVersion registered;
  private CanaryResult canary;

  /**
   * Runs {@code body} as this pipeline: refuses an invalid request with a non-retryable failure
   * naming every bad field, applies the request's defaults, sets the search attributes, and turns
   * an {@code abort} into an {@link Outcome#ABORTED} result. The body gets the request with its
   * defaults (also {@link #request()}).
   */
  public ContinuousTrainingResult execute(
      ContinuousTrainingRequest request,
      Function<ContinuousTrainingRequest, ContinuousTrainingResult> body) {
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
    status = new PipelineStatus(r.model(), Stage.STARTING, 0.0, "starting", null, null, null);
    Workflow.upsertTypedSearchAttributes(
        PerennialSearchAttributes.MODEL.valueSet(r.model()),
        PerennialSearchAttributes.TRIGGER.valueSet(r.trigger().name()),
        PerennialSearchAttributes.STAGE.valueSet(Stage.STARTING.name()));

    memoLinks = Workflow.getVersion(MEMO_REPORT_LINKS, Workflow.DEFAULT_VERSION, 1) >= 1;
    if (r.driftReport() != null) {
      // Only drift-started runs have one, and those are all newer than the memo links: no old
      // history lacks the memo command it adds.
      memo("driftReport", r.driftReport().uri());
    }
    ContinuousTrainingResult[] result = new ContinuousTrainingResult[1];
    scope = Workflow.newCancellationScope(() -> result[0] = body.apply(r));
    if (abortReason != null) {
      scope.cancel(abortReason);
    }
    try {
      scope.run();
    } catch (TemporalFailure e) {
      if (abortReason != null && isCancellation(e)) {
        return aborted();
      }
      enter(Stage.FAILED, e.getMessage());
      throw e;
    }
    if (abortReason != null && result[0] == null) {
      return aborted();
    }
    return result[0];
  }

  /** The request with its defaults applied, once {@link #execute} has begun. */
  public ContinuousTrainingRequest request() {
    return request;
  }

  /**
   * Freezes the request's dataset into a snapshot and validates it; a dataset that breaks a hard
   * rule, or leaves no day to train on once the held-out days are taken, ends the run with a
   * non-retryable failure listing why.
   */
  public DatasetSnapshot snapshot() {
    enter(
        Stage.SNAPSHOT,
        "freezing " + request.dataset().bucket() + "/" + request.dataset().prefix());
    snapshot = steps.snapshot(request.dataset());
    memo("datasetVersion", snapshot.datasetVersion());
    memo("datasetManifest", snapshot.manifest().uri());
    steps.requireTrainingPartitions(snapshot, request.holdoutDays());

    enter(
        Stage.VALIDATE,
        "validating "
            + snapshot.objects()
            + " objects, "
            + snapshot.firstDay()
            + " to "
            + snapshot.lastDay());
    ValidationReport report =
        steps.validate(request.model(), snapshot, request.validation(), runId());
    memo("validationReport", report.report() == null ? null : report.report().uri());
    validation = steps.requireValid(snapshot, report);
    return snapshot;
  }

  /** Trains a candidate with the request's hyperparameters. */
  public TrainedModel train(DatasetSnapshot data) {
    return train(data, request.hyperparameters());
  }

  /**
   * Trains a candidate on every day of {@code data} but the held-out ones; {@link #evaluate} and
   * {@link #register} then use {@code data} too.
   */
  public TrainedModel train(DatasetSnapshot data, Hyperparameters with) {
    // The data trained on is what the evaluation holds out days of and the version records.
    snapshot = data;
    hyperparameters = with.withDefaults();
    enter(
        Stage.TRAIN,
        "training "
            + hyperparameters.algorithm()
            + " on "
            + (data.partitions() - request.holdoutDays())
            + " days");
    trained = steps.train(request.model(), data, request.holdoutDays(), hyperparameters, runId());
    return trained;
  }

  /** Scores the candidate and the current champion (if any) on the held-out days. */
  public Evaluation evaluate(TrainedModel candidate) {
    enter(Stage.EVALUATE, "scoring on the last " + request.holdoutDays() + " days");
    champion = steps.champion(request.model());
    evaluation =
        steps.evaluate(
            request.model(), snapshot, request.holdoutDays(), candidate.model(), champion, runId());
    // People open the memo's link, so it points at the page when the worker wrote one. Safe on
    // replay without getVersion: the value comes from the recorded activity result, and memo
    // values are not compared against history.
    memo(
        "evaluationReport",
        (evaluation.html() != null ? evaluation.html() : evaluation.report()).uri());
    return evaluation;
  }

  /** The request's gate ({@link ContinuousTrainingRequest#gate()}). */
  public GateDecision gate() {
    return gate(ValidationGate.of(request.gate()));
  }

  /** Applies {@code gate} to the evaluation, as deterministic workflow code. */
  public GateDecision gate(ValidationGate gate) {
    enter(
        Stage.GATE,
        champion == null ? "no champion yet" : "against champion v" + champion.version());
    decision = steps.gate(gate, evaluation, champion);
    return decision;
  }

  /** Registers the gated candidate (idempotent); the outcome methods call it when needed. */
  public ModelVersion register() {
    if (registered == null) {
      enter(Stage.REGISTER, decision.passed() ? "gate passed" : "gate refused");
      registered =
          steps.register(
              request.model(),
              snapshot,
              trained,
              hyperparameters,
              evaluation,
              decision,
              request.trigger(),
              request.driftReport());
      memo("version", "v" + registered.version() + " " + registered.status());
    }
    return registered;
  }

  /** Ends a run whose candidate the gate refused (registered as such). */
  public ContinuousTrainingResult rejected() {
    ModelVersion v = register();
    long failed = decision.checks().stream().filter(c -> !c.passed()).count();
    return finish(
        Outcome.REJECTED,
        "v"
            + v.version()
            + " refused by the gate ("
            + failed
            + (failed == 1 ? " check" : " checks")
            + " failed)");
  }

  /** Makes the candidate champion, with {@code reason} in the audit log, and ends the run. */
  public ContinuousTrainingResult promote(String reason) {
    int version = register().version();
    enter(Stage.PROMOTE, "v" + version + " becomes champion");
    steps.setAlias(request.model(), Aliases.CHAMPION, version, reason);
    return finish(Outcome.PROMOTED, "v" + version + " is champion");
  }

  /** Makes the candidate challenger, with {@code reason} in the audit log, and ends the run. */
  public ContinuousTrainingResult challenger(String reason) {
    makeChallenger(reason);
    return finish(Outcome.CHALLENGER, "v" + registered.version() + " is challenger: " + reason);
  }

  /**
   * Rolls the candidate out against the champion in a {@code CanaryRollout} child with the
   * request's canary policy and waits for its verdict.
   */
  public CanaryResult canary() {
    int version = register().version();
    enter(Stage.CANARY, "v" + version + " canary against champion v" + champion.version());
    canary = steps.canary(request.model(), version, request.canary());
    memo("canary", canary.outcome() + ": " + canary.reason());
    return canary;
  }

  /**
   * Makes the candidate challenger, then waits up to {@code timeout} (a durable timer) for a
   * person's {@code approve} or {@code reject} update. Approved: champion, with the approver and
   * the note in the audit log. Rejected: withdrawn with the same. No answer: it stays challenger.
   */
  public ContinuousTrainingResult promoteIfApproved(Duration timeout) {
    int version = register().version();
    makeChallenger("passed the gate; waits up to " + timeout + " for approval");
    ApprovalDecision answer = awaitApproval(timeout);
    String reason = answer.reason(timeout);
    if (answer.approved()) {
      enter(Stage.PROMOTE, "v" + version + " becomes champion");
      steps.setAlias(request.model(), Aliases.CHAMPION, version, reason, answer.by());
      return finish(Outcome.PROMOTED, "v" + version + " is champion, " + reason);
    }
    if (answer.timedOut()) {
      return finish(Outcome.CHALLENGER, "v" + version + " stays challenger: " + reason);
    }
    steps.withdraw(request.model(), version, reason, answer.by());
    return finish(Outcome.REJECTED, "v" + version + " " + reason);
  }

  /**
   * Waits up to {@code timeout} for an {@code approve} or {@code reject} update, in stage {@link
   * Stage#AWAITING_APPROVAL}, and returns the answer; what follows is up to the caller.
   */
  public ApprovalDecision awaitApproval(Duration timeout) {
    String version = registered == null ? "the candidate" : "v" + registered.version();
    enter(Stage.AWAITING_APPROVAL, version + " waits up to " + timeout + " for approve or reject");
    return approval.await(timeout);
  }

  /** The wait behind {@link #awaitApproval}, for the update handlers. */
  public Approval approval() {
    return approval;
  }

  /** Refuses an approval update that cannot be taken now, saying why (for update validators). */
  public void validateApproval(ApprovalRequest request) {
    try {
      approval.validate(request);
    } catch (IllegalStateException e) {
      throw new IllegalStateException(
          e.getMessage() + " (the run is at " + status.stage() + ": " + status.detail() + ")");
    }
  }

  /** Ends the run with {@code outcome}; {@code message} is the result's line for people. */
  public ContinuousTrainingResult finish(Outcome outcome, String message) {
    enter(Stage.DONE, message);
    log.info("{}: {}", request.model(), message);
    return result(outcome, message);
  }

  /** The champion the candidate was evaluated against, or null (known after {@link #evaluate}). */
  public ModelVersion champion() {
    return champion;
  }

  /** The registered version, or null before registration. */
  public ModelVersion registered() {
    return registered;
  }

  /** The {@code status} query's answer. */
  public PipelineStatus status() {
    return status;
  }

  /** The {@code abort} signal: cancels the current step; the run ends {@link Outcome#ABORTED}. */
  public void abort(String reason) {
    abortReason = reason == null || reason.isBlank() ? "aborted" : reason;
    if (scope != null) {
      scope.cancel(abortReason);
    }
  }

  /** Moves the status to {@code stage}, with one line on what happens. */
  public void enter(Stage stage, String detail) {
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

  /** Adds a link or fact to the run's memo (new runs only, see {@link #MEMO_REPORT_LINKS}). */
  public void memo(String key, String value) {
    if (memoLinks && value != null) {
      Workflow.upsertMemo(Map.of(key, value));
    }
  }

  /**
   * Points the challenger alias at the candidate, with {@code reason} in the audit log, without
   * ending the run.
   */
  public void makeChallenger(String reason) {
    int version = register().version();
    enter(Stage.PROMOTE, "v" + version + " becomes challenger");
    steps.setAlias(request.model(), Aliases.CHALLENGER, version, reason);
  }

  private ContinuousTrainingResult aborted() {
    String message = "aborted at " + status.stage() + ": " + abortReason;
    enter(Stage.ABORTED, message);
    return result(Outcome.ABORTED, message);
  }

  private ContinuousTrainingResult result(Outcome outcome, String message) {
    return ContinuousTrainingResult.builder(request.model(), outcome, message)
        .version(registered == null ? null : registered.version())
        .decision(decision)
        .evaluation(evaluation)
        .datasetVersion(snapshot == null ? null : snapshot.datasetVersion())
        .validationReport(validation == null ? null : validation.report())
        .canary(canary)
        .build();
  }

  private static String runId() {
    return Workflow.getInfo().getRunId();
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
