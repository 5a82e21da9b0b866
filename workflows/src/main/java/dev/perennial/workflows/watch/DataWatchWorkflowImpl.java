package dev.perennial.workflows.watch;

import dev.perennial.workflows.ActivityStubs;
import dev.perennial.workflows.CheckControl;
import dev.perennial.workflows.FailureTypes;
import dev.perennial.workflows.Instruction;
import dev.perennial.workflows.PerennialSearchAttributes;
import dev.perennial.workflows.RequestProblems;
import dev.perennial.workflows.pipeline.ContinuousTrainingRequest;
import dev.perennial.workflows.pipeline.PerennialPipeline;
import dev.perennial.workflows.pipeline.Retraining;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;

/**
 * The data watch. It waits on durable timers, so it survives worker restarts and keeps its
 * schedule; it continues as new every {@link #CHECKS_PER_RUN} checks (or sooner when the server
 * suggests it), carrying its {@link DataWatchState}, so its history stays bounded however long it
 * runs.
 *
 * <p>A retraining is deduplicated as the drift monitor's is ({@link Retraining}): while a run of
 * the pipeline for the model is open, whoever started it, nothing is started and the new partitions
 * stay pending; the next check after it closed starts one for them.
 */
public class DataWatchWorkflowImpl implements DataWatchWorkflow {
  private static final Logger log = Workflow.getLogger(DataWatchWorkflowImpl.class);

  /**
   * Checks one run makes before it continues as new: a check is about eight events (timer,
   * activity, workflow tasks), a start or a memo a few more, so a run stays near 2,000 events.
   */
  static final int CHECKS_PER_RUN = 200;

  /** Memo keys shown in the Temporal UI. */
  static final String MEMO_ACTED_ON = "lastActedOn";

  static final String MEMO_PENDING = "pendingPartitions";
  static final String MEMO_RETRAINING = "lastRetraining";

  private final DataWatchActivities data =
      Workflow.newActivityStub(DataWatchActivities.class, ActivityStubs.LISTING);
  private final int checksPerRun;
  private final CheckControl control = new CheckControl("watch");

  private DataWatchRequest request;
  private DataWatchPolicy policy;
  private DataWatchState state;
  private DataWatchPhase phase = DataWatchPhase.WAITING;
  private String nextCheckAt;
  private String message = "starting";
  private Map<String, Object> memo = Map.of();

  /** The watch as workers register it. */
  public DataWatchWorkflowImpl() {
    this(CHECKS_PER_RUN);
  }

  /** A watch that continues as new after {@code checksPerRun} checks (tests use a few). */
  DataWatchWorkflowImpl(int checksPerRun) {
    this.checksPerRun = checksPerRun;
  }

  @Override
  public DataWatchResult run(DataWatchRequest request) {
    if (request == null) {
      throw ApplicationFailure.newNonRetryableFailure(
          "Invalid DataWatch request: send one JSON object such as {\"model\":\"credit-default\"}",
          FailureTypes.INVALID_REQUEST);
    }
    new RequestProblems().addAll(request.problems()).throwIfAny("DataWatch request");
    this.request = request;
    policy = request.policyOrDefaults();
    state = request.carried() == null ? DataWatchState.initial(request.since()) : request.carried();
    Workflow.upsertTypedSearchAttributes(
        PerennialSearchAttributes.MODEL.valueSet(request.model()),
        PerennialSearchAttributes.STAGE.valueSet("DATA_WATCHING"));
    memo(); // A continued run starts with an empty memo of its own.

    int checksThisRun = 0;
    // A new watch lists at once, so a bad prefix fails its start; a continued one keeps its pace.
    Instant next =
        state.lastCheckAt() == null
            ? now()
            : Instant.parse(state.lastCheckAt()).plus(policy.every());
    while (true) {
      if (control.stopping()) {
        return stopped();
      }
      if (control.handOver(checksThisRun, checksPerRun)) {
        break;
      }
      Instant now = now();
      if (!control.checkAsked() && next.isAfter(now)) {
        phase = DataWatchPhase.WAITING;
        nextCheckAt = next.toString();
        message = "next check at " + next + summary();
        control.awaitNextCheck(Duration.between(now, next));
        if (control.stopping()) {
          continue;
        }
      }
      next = check(control.takeCheckNow());
      checksThisRun++;
    }
    message = "continuing as new after " + checksThisRun + " checks" + summary();
    log.info("data watch of {}: {}", request.model(), message);
    // No signal is pending here. One that arrives before this task completes makes the server
    // refuse the hand-over; the task is run again and meets the signal at the loop's top.
    Workflow.continueAsNew(request.carrying(state));
    return null; // Not reached: continueAsNew ends this run.
  }

  /**
   * Lists the prefix and acts on what is new; {@code asked} by a check-now. Returns when the next
   * check is due: one poll interval on, or sooner when a start held back by {@code minInterval}
   * becomes due before that.
   */
  private Instant check(String asked) {
    String bucket = request.bucketOrDefault();
    String prefix = request.prefixOrDefault();
    String where = "s3://" + bucket + "/" + prefix;
    phase = DataWatchPhase.LISTING;
    nextCheckAt = null;
    message = "listing " + where + (asked == null ? "" : " (check-now: " + asked + ")");
    boolean first = state.checks() == 0;
    PartitionListing listing;
    try {
      listing = data.listPartitions(new PartitionQuery(bucket, prefix, state.lastActedOn()));
    } catch (ActivityFailure e) {
      if (CancellationScope.current().isCancelRequested()) {
        throw e;
      }
      // Transient faults retry for ever, so this is bad input: at the first check the request is
      // wrong (an unknown model or prefix) and the watch ends saying so; later the data may have
      // been moved away, and the watch records it and looks again at the next poll.
      String why = FailureTypes.innermostMessage(e);
      if (first) {
        throw ApplicationFailure.newNonRetryableFailure(
            "DataWatch of " + request.model() + " cannot watch " + where + ": " + why,
            FailureTypes.INVALID_REQUEST);
      }
      log.warn("data watch of {}: listing {} failed: {}", request.model(), where, why);
      state = state.withFailedCheck(now().toString(), "listing failed: " + why);
      return now().plus(policy.every());
    }
    if (first && request.since() == null && listing.latest() != null) {
      // The data already there is the baseline: only what lands from now on is new.
      state = state.actedOn(listing.latest());
      listing = new PartitionListing(listing.partitions(), listing.latest(), 0, List.of());
    }
    Instant now = now();
    NewData decision = NewData.decide(policy, listing, state.lastRetrainingAt(), now);
    String action = decision.reason();
    if (decision.start()) {
      action = start(listing, decision.reason() + " under " + where);
    }
    state = state.withCheck(now.toString(), listing, action);
    log.info(
        "data watch of {}: {} partitions, latest {}; {}",
        request.model(),
        listing.partitions(),
        listing.latest(),
        action);
    memo();
    Instant next = now.plus(policy.every());
    return decision.until() != null && decision.until().isBefore(next) ? decision.until() : next;
  }

  /** Starts the pipeline for the new partitions of {@code listing}; returns what it did. */
  private String start(PartitionListing listing, String why) {
    String id = PerennialPipeline.workflowId(request.pipelineType(), request.model());
    phase = DataWatchPhase.STARTING_RETRAINING;
    message = "starting retraining " + id + ": " + why;
    ContinuousTrainingRequest template =
        request.retraining() == null
            ? ContinuousTrainingRequest.of(request.model())
            : request.retraining();
    ContinuousTrainingRequest started =
        template.forNewData(
            request.model(), request.bucketOrDefault(), request.prefixOrDefault(), why);
    return switch (Retraining.start(request.pipelineType(), started)) {
      case Retraining.AlreadyRunning running ->
          "retraining already running: "
              + running.workflowId()
              + "; "
              + listing.newer()
              + " new partitions wait";
      case Retraining.NotStarted refused -> "retraining not started: " + refused.reason();
      case Retraining.Started s -> {
        state = state.withRetraining(now().toString(), s.run()).actedOn(listing.latest());
        yield "started retraining " + s.run() + ": " + why;
      }
    };
  }

  /** The watch's state in its memo, shown in the Temporal UI; written only when it changed. */
  private void memo() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put(MEMO_ACTED_ON, state.lastActedOn() == null ? "none" : state.lastActedOn());
    m.put(MEMO_PENDING, state.pending());
    m.put(MEMO_RETRAINING, state.lastRetrainingRun() == null ? "none" : state.lastRetrainingRun());
    if (!m.equals(memo)) {
      Workflow.upsertMemo(m);
      memo = m;
    }
  }

  /** {@code ; last acted on 2026-03-05, 2 new partitions pending}, for status lines. */
  private String summary() {
    return "; last acted on "
        + (state.lastActedOn() == null ? "nothing yet" : state.lastActedOn())
        + ", "
        + state.pending()
        + " new partitions pending"
        + (state.lastAction() == null ? "" : "; last check: " + state.lastAction());
  }

  private DataWatchResult stopped() {
    phase = DataWatchPhase.STOPPED;
    nextCheckAt = null;
    message = "stopped after " + state.checks() + " checks: " + control.stopReason();
    Workflow.upsertTypedSearchAttributes(
        PerennialSearchAttributes.STAGE.valueSet("DATA_WATCH_STOPPED"));
    log.info("data watch of {}: {}", request.model(), message);
    return new DataWatchResult(request.model(), state, control.stopReason());
  }

  private static Instant now() {
    return Instant.ofEpochMilli(Workflow.currentTimeMillis());
  }

  @Override
  public DataWatchStatus status() {
    return new DataWatchStatus(
        request == null ? null : request.model(),
        request == null ? null : request.bucketOrDefault(),
        request == null ? null : request.prefixOrDefault(),
        policy,
        phase,
        nextCheckAt,
        state,
        message);
  }

  @Override
  public void stop(String reason) {
    control.stop(reason);
  }

  @Override
  public void checkNow(String reason) {
    control.checkNow(Instruction.unsigned(reason));
  }

  @Override
  public Instruction check(Instruction instruction) {
    control.checkNow(instruction);
    return instruction;
  }

  @Override
  public void validateCheck(Instruction instruction) {
    control.validateCheckNow(instruction);
  }
}
