package dev.perennial.workflows.pipeline;

import dev.perennial.workflows.RunMetrics;
import dev.perennial.workflows.approval.Approval;
import dev.perennial.workflows.approval.ApprovalDecision;
import dev.perennial.workflows.approval.ApprovalRequest;
import dev.perennial.workflows.cache.CacheHit;
import dev.perennial.workflows.cache.CacheKey;
import dev.perennial.workflows.canary.CanaryResult;
import dev.perennial.workflows.dataset.DatasetSnapshot;
import dev.perennial.workflows.gate.GateDecision;
import dev.perennial.workflows.gate.GatePolicy;
import dev.perennial.workflows.gate.ValidationGate;
import dev.perennial.workflows.registry.Aliases;
import dev.perennial.workflows.registry.ModelVersion;
import dev.perennial.workflows.search.HyperparameterSearch;
import dev.perennial.workflows.search.SearchResult;
import dev.perennial.workflows.training.Evaluation;
import dev.perennial.workflows.training.Hyperparameters;
import dev.perennial.workflows.training.TrainedModel;
import io.temporal.workflow.Workflow;
import java.time.Duration;
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

  private final RunRecord made = new RunRecord();
  private final PipelineProgress progress = new PipelineProgress(made);
  private final RunStages stages = new RunStages(made, progress);
  private final PipelineSteps steps = stages.steps;
  private final Approval approval = new Approval();
  private final PipelineAbort abort = new PipelineAbort();

  /**
   * Runs {@code body} as this pipeline: refuses an invalid request with a non-retryable failure
   * naming every bad field, applies the request's defaults, sets the search attributes, and turns
   * an {@code abort} into an {@link Outcome#ABORTED} result. The body gets the request with its
   * defaults (also {@link #request()}).
   */
  public ContinuousTrainingResult execute(
      ContinuousTrainingRequest request,
      Function<ContinuousTrainingRequest, ContinuousTrainingResult> body) {
    ContinuousTrainingRequest r = stages.start(request);
    return abort.run(
        () -> body.apply(r),
        this::aborted,
        e -> {
          enter(Stage.FAILED, e.getMessage());
          RunMetrics.runEnded(r.model(), Stage.FAILED.name());
        });
  }

  /** The request with its defaults applied, once {@link #execute} has begun. */
  public ContinuousTrainingRequest request() {
    return stages.request;
  }

  /**
   * Freezes the request's dataset into a snapshot and validates it; a dataset that breaks a hard
   * rule, or leaves no day to train on once the held-out days are taken, ends the run with a
   * non-retryable failure listing why.
   */
  public DatasetSnapshot snapshot() {
    return stages.snapshot();
  }

  /**
   * The step cache: looks up what training {@code data} with the request's hyperparameters (and
   * {@code search}, null for none) would be made from, and returns the registered version made from
   * the same data, options and code, or null when the run must train (none, the request's {@code
   * force}, or a random search without a seed). The key is recorded with the version the run
   * registers either way. End a hit with {@link #unchanged}:
   *
   * <pre>{@code
   * DatasetSnapshot data = pipeline.snapshot();
   * CacheHit hit = pipeline.cached(data, null);
   * if (hit != null) {
   *   return pipeline.unchanged(hit);
   * }
   * pipeline.evaluate(pipeline.train(data));
   * }</pre>
   */
  public CacheHit cached(DatasetSnapshot data, HyperparameterSearch search) {
    return cached(data, request().hyperparameters(), search);
  }

  /**
   * {@link #cached(DatasetSnapshot, HyperparameterSearch)} for a pipeline that trains with {@code
   * with} (the base of {@code search}, if any) rather than the request's hyperparameters.
   */
  public CacheHit cached(DatasetSnapshot data, Hyperparameters with, HyperparameterSearch search) {
    return stages.cached(data, with, search);
  }

  /**
   * Ends a run the step cache answered: nothing trained, registered or rolled out; the result's
   * version is {@code hit}'s and its outcome {@link Outcome#UNCHANGED}.
   */
  public ContinuousTrainingResult unchanged(CacheHit hit) {
    return finish(Outcome.UNCHANGED, hit.message());
  }

  /** The run's cache key once {@link #cached} looked it up, else null. */
  public CacheKey cacheKey() {
    return made.cache == null ? null : made.cache.key();
  }

  /** Trains a candidate with the request's hyperparameters. */
  public TrainedModel train(DatasetSnapshot data) {
    return train(data, request().hyperparameters());
  }

  /**
   * Trains a candidate on every day of {@code data} but the held-out ones; {@link #evaluate} and
   * {@link #register} then use {@code data} too.
   */
  public TrainedModel train(DatasetSnapshot data, Hyperparameters with) {
    return stages.train(data, with);
  }

  /** Searches with {@code search} around the request's hyperparameters. */
  public TrainedModel search(DatasetSnapshot data, HyperparameterSearch search) {
    return search(data, request().hyperparameters(), search);
  }

  /**
   * Trains the trials of {@code search} around {@code base} on the training workers (at most its
   * parallelism at once) and returns the best by its validation metric as the candidate; {@link
   * #evaluate} and {@link #register} then use it, and the version records every trial. The {@code
   * status} query shows the trials as they go. A bad search ends the run naming every bad field.
   */
  public TrainedModel search(
      DatasetSnapshot data, Hyperparameters base, HyperparameterSearch search) {
    return stages.search(data, base, search);
  }

  /** The search's trials and the best, or null when the run did not search. */
  public SearchResult searchResult() {
    return made.search;
  }

  /**
   * Scores the candidate and the current champion (if any) on the held-out days, and per slice as
   * the request's gate's rules over slices need ({@link GatePolicy#slicings()}).
   */
  public Evaluation evaluate(TrainedModel candidate) {
    return stages.evaluate(candidate, request().gate().slicings());
  }

  /**
   * Scores the candidate and the current champion (if any) on the held-out days, and per slice as
   * {@code gate}'s rules over slices need: call it with the gate you will pass to {@link
   * #gate(ValidationGate)}.
   */
  public Evaluation evaluate(TrainedModel candidate, ValidationGate gate) {
    return stages.evaluate(candidate, gate.slicings());
  }

  /** The request's gate ({@link ContinuousTrainingRequest#gate()}). */
  public GateDecision gate() {
    return gate(ValidationGate.of(request().gate()));
  }

  /**
   * Applies {@code gate} to the evaluation, as deterministic workflow code. A gate with rules over
   * slices the evaluation did not score ends the run with a non-retryable failure naming them.
   */
  public GateDecision gate(ValidationGate gate) {
    return stages.gate(gate);
  }

  /** Registers the gated candidate (idempotent); the outcome methods call it when needed. */
  public ModelVersion register() {
    return stages.register();
  }

  /** Ends a run whose candidate the gate refused (registered as such). */
  public ContinuousTrainingResult rejected() {
    ModelVersion v = register();
    long failed = made.decision.checks().stream().filter(c -> !c.passed()).count();
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
    steps.setAlias(request().model(), Aliases.CHAMPION, version, reason);
    return finish(Outcome.PROMOTED, "v" + version + " is champion");
  }

  /** Makes the candidate challenger, with {@code reason} in the audit log, and ends the run. */
  public ContinuousTrainingResult challenger(String reason) {
    makeChallenger(reason);
    return finish(
        Outcome.CHALLENGER, "v" + made.registered.version() + " is challenger: " + reason);
  }

  /**
   * Rolls the candidate out against the champion in a {@code CanaryRollout} child with the
   * request's canary policy and waits for its verdict.
   */
  public CanaryResult canary() {
    return stages.canary(false);
  }

  /**
   * Shadows the candidate beside the champion in a {@code CanaryRollout} child in shadow mode, with
   * the request's canary policy (its steps are the shares of requests shadowed, default every one),
   * and waits for its verdict: PROMOTED, ROLLED_BACK (withdrawn) or a verdict that keeps the
   * champion.
   */
  public CanaryResult shadow() {
    return stages.canary(true);
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
      steps.setAlias(request().model(), Aliases.CHAMPION, version, reason, answer.by());
      return finish(Outcome.PROMOTED, "v" + version + " is champion, " + reason);
    }
    if (answer.timedOut()) {
      return finish(Outcome.CHALLENGER, "v" + version + " stays challenger: " + reason);
    }
    steps.withdraw(request().model(), version, reason, answer.by());
    return finish(Outcome.REJECTED, "v" + version + " " + reason);
  }

  /**
   * Waits up to {@code timeout} for an {@code approve} or {@code reject} update, in stage {@link
   * Stage#AWAITING_APPROVAL}, and returns the answer; what follows is up to the caller.
   */
  public ApprovalDecision awaitApproval(Duration timeout) {
    String version = made.registered == null ? "the candidate" : "v" + made.registered.version();
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
          e.getMessage() + " (the run is at " + status().stage() + ": " + status().detail() + ")");
    }
  }

  /** Ends the run with {@code outcome}; {@code message} is the result's line for people. */
  public ContinuousTrainingResult finish(Outcome outcome, String message) {
    enter(Stage.DONE, message);
    RunMetrics.runEnded(request().model(), outcome.name());
    log.info("{}: {}", request().model(), message);
    return made.result(request().model(), outcome, message);
  }

  /** The champion the candidate was evaluated against, or null (known after {@link #evaluate}). */
  public ModelVersion champion() {
    return made.champion;
  }

  /** The registered version, or null before registration. */
  public ModelVersion registered() {
    return made.registered;
  }

  /** The {@code status} query's answer. */
  public PipelineStatus status() {
    return progress.status();
  }

  /** The {@code abort} signal: cancels the current step; the run ends {@link Outcome#ABORTED}. */
  public void abort(String reason) {
    abort.abort(reason);
  }

  /** Moves the status to {@code stage}, with one line on what happens. */
  public void enter(Stage stage, String detail) {
    progress.enter(stage, detail);
  }

  /**
   * Adds a link or fact to the run's memo (new runs only, see {@link
   * PipelineProgress#MEMO_REPORT_LINKS}).
   */
  public void memo(String key, String value) {
    progress.memo(key, value);
  }

  /**
   * Points the challenger alias at the candidate, with {@code reason} in the audit log, without
   * ending the run.
   */
  public void makeChallenger(String reason) {
    stages.makeChallenger(reason);
  }

  private ContinuousTrainingResult aborted() {
    String message = "aborted at " + status().stage() + ": " + abort.reason();
    enter(Stage.ABORTED, message);
    RunMetrics.runEnded(request().model(), Outcome.ABORTED.name());
    return made.result(request().model(), Outcome.ABORTED, message);
  }
}
