package dev.perennial.workflows.drift;

import dev.perennial.workflows.ActivityStubs;
import dev.perennial.workflows.Durations;
import dev.perennial.workflows.FailureTypes;
import dev.perennial.workflows.ObjectRef;
import dev.perennial.workflows.PerennialSearchAttributes;
import dev.perennial.workflows.RequestProblems;
import dev.perennial.workflows.TaskQueues;
import dev.perennial.workflows.pipeline.ContinuousTrainingRequest;
import dev.perennial.workflows.pipeline.ContinuousTrainingResult;
import dev.perennial.workflows.pipeline.ContinuousTrainingWorkflow;
import dev.perennial.workflows.pipeline.PerennialPipeline;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.ParentClosePolicy;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.ChildWorkflowStub;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;

/**
 * The drift monitor. It waits on durable timers, so a monitor survives worker restarts and keeps
 * its schedule; it continues as new every {@link #CHECKS_PER_RUN} checks (or sooner when the server
 * suggests it), carrying its {@link DriftMonitorState}, so its history stays bounded however long
 * it runs.
 *
 * <p>Retraining is deduplicated twice: the child's workflow id is the model's {@code
 * ContinuousTraining} id, so the server refuses a second start while any run for the model is open
 * (whoever started it); and after a start the policy's cooldown must pass before the next.
 */
public class DriftMonitorWorkflowImpl implements DriftMonitorWorkflow {
  private static final Logger log = Workflow.getLogger(DriftMonitorWorkflowImpl.class);

  /**
   * Checks one run makes before it continues as new. A check adds about a dozen events (timer,
   * activity, memo, workflow tasks), so a run stays near 2,500 events, well below where the server
   * starts suggesting a new run.
   */
  static final int CHECKS_PER_RUN = 200;

  static final String WAITING = "WAITING";
  static final String MEASURING = "MEASURING";
  static final String STARTING_RETRAINING = "STARTING_RETRAINING";
  static final String STOPPED = "STOPPED";

  /** Memo keys: the latest report written, and the latest verdict. */
  static final String MEMO_REPORT = "driftReport";

  static final String MEMO_VERDICT = "lastVerdict";

  /**
   * Change id: runs from version 1 on schedule each check one interval after the previous window's
   * end, not after the previous check finished, so windows of one interval's span follow each other
   * without the gap a measurement's own duration used to leave.
   */
  static final String ANCHORED_SCHEDULE = "drift-anchored-schedule";

  private final DriftActivities drift =
      Workflow.newActivityStub(DriftActivities.class, ActivityStubs.DRIFT);
  private final int checksPerRun;

  private String model;
  private DriftPolicy policy;
  private ContinuousTrainingRequest retraining;
  private String pipelineType = ContinuousTrainingWorkflow.TYPE;
  private DriftMonitorState state = DriftMonitorState.initial();
  private String phase = WAITING;
  private String nextCheckAt;
  private String message = "starting";
  private boolean anchored;

  // Set by signals.
  private String stopReason;
  private String checkNowReason;

  /** The monitor as workers register it. */
  public DriftMonitorWorkflowImpl() {
    this(CHECKS_PER_RUN);
  }

  /** A monitor that continues as new after {@code checksPerRun} checks (tests use a few). */
  DriftMonitorWorkflowImpl(int checksPerRun) {
    this.checksPerRun = checksPerRun;
  }

  @Override
  public DriftMonitorResult run(DriftMonitorRequest request) {
    if (request == null) {
      throw ApplicationFailure.newNonRetryableFailure(
          "Invalid DriftMonitor request: send one JSON object such as {\"model\":\"credit-default\"}",
          FailureTypes.INVALID_REQUEST);
    }
    new RequestProblems().addAll(request.problems()).throwIfAny("DriftMonitor request");
    model = request.model();
    pipelineType = request.pipelineType();
    policy = request.policy() == null ? DriftPolicy.defaults() : request.policy().withDefaults();
    retraining =
        request.retraining() == null ? ContinuousTrainingRequest.of(model) : request.retraining();
    state = request.carried() == null ? DriftMonitorState.initial() : trimmed(request.carried());
    Workflow.upsertTypedSearchAttributes(
        PerennialSearchAttributes.MODEL.valueSet(model),
        PerennialSearchAttributes.STAGE.valueSet("DRIFT_MONITORING"));
    if (!state.recent().isEmpty()) {
      // A continued run starts with an empty memo of its own: show the latest report again.
      memo(state.recent().get(state.recent().size() - 1));
    }
    anchored = Workflow.getVersion(ANCHORED_SCHEDULE, Workflow.DEFAULT_VERSION, 1) >= 1;

    int checksThisRun = 0;
    while (true) {
      if (stopReason != null) {
        return stopped();
      }
      // A pending check-now is served first: it would be lost in the hand-over otherwise.
      if (checkNowReason == null
          && (checksThisRun >= checksPerRun || Workflow.getInfo().isContinueAsNewSuggested())) {
        break;
      }
      Instant now = now();
      Instant next = nextCheck(now);
      phase = WAITING;
      nextCheckAt = next.toString();
      message = "next check at " + nextCheckAt + lastCheckSummary();
      if (checkNowReason == null && next.isAfter(now)) {
        Workflow.await(
            anchored ? java.time.Duration.between(now, next) : policy.every(),
            () -> stopReason != null || checkNowReason != null);
      }
      if (stopReason != null) {
        continue;
      }
      String asked = checkNowReason;
      checkNowReason = null;
      check(asked);
      checksThisRun++;
    }
    message = "continuing as new after " + checksThisRun + " checks" + lastCheckSummary();
    log.info("drift monitor of {}: {}", model, message);
    // No signal is pending here. One that arrives before this task completes makes the server
    // refuse the hand-over; the task is run again and meets the signal at the loop's top.
    Workflow.continueAsNew(request.carrying(state));
    return null; // Not reached: continueAsNew ends this run.
  }

  /**
   * When the next check is due: one interval after the latest window's end (or now, if that has
   * passed: after a worker outage the monitor measures once, it does not catch up window by
   * window); before the anchored schedule, and for a monitor's first check, one interval from now.
   */
  private Instant nextCheck(Instant now) {
    if (!anchored || state.recent().isEmpty()) {
      return now.plus(policy.every());
    }
    return nextCheck(now, state.recent().get(state.recent().size() - 1).at(), policy.every());
  }

  /** One interval after the latest window's end {@code lastAt}, or {@code now} if that passed. */
  static Instant nextCheck(Instant now, String lastAt, java.time.Duration every) {
    Instant due = Instant.parse(lastAt).plus(every);
    return due.isAfter(now) ? due : now;
  }

  /** Measures the window that ends now and acts on its verdict. */
  private void check(String asked) {
    Instant to = now();
    Instant from = to.minus(policy.span());
    phase = MEASURING;
    nextCheckAt = null;
    message =
        "measuring " + from + " to " + to + (asked == null ? "" : " (check-now: " + asked + ")");
    DriftReport report;
    try {
      report = drift.measure(new DriftWindow(model, from.toString(), to.toString(), policy));
    } catch (ActivityFailure e) {
      if (CancellationScope.current().isCancelRequested()) {
        throw e;
      }
      // Transient faults retry for ever, so this is bad input (a model without a reference
      // profile, say): recorded where people look, and the next window is measured as usual.
      String why = "measurement failed: " + failureMessage(e);
      log.warn("drift monitor of {}, window {} to {}: {}", model, from, to, why);
      record(
          new DriftCheck(
              to.toString(), null, 0, null, List.of(), List.of(), null, why, null, null));
      return;
    }
    DriftVerdict verdict = report.decision().verdict();
    String action = verdict == DriftVerdict.DRIFT ? retrain(report) : "none";
    log.info(
        "drift monitor of {}, window {} to {}: {} {}; {}",
        model,
        from,
        to,
        verdict,
        report.decision().reasons(),
        action);
    DriftCheck check =
        new DriftCheck(
            to.toString(),
            report.champion(),
            report.rows(),
            verdict,
            List.copyOf(report.decision().reasons()),
            report.features() == null
                ? List.of()
                : report.features().stream()
                    .filter(FeatureDrift::drifted)
                    .map(FeatureDrift::feature)
                    .toList(),
            maxPsi(report),
            action,
            link(report) == null ? null : link(report).uri(),
            report.json() == null ? null : report.json().uri());
    record(check);
    memo(check);
  }

  /**
   * Starts the request's pipeline ({@code ContinuousTraining} by default) for a breaching report
   * unless the cooldown holds or a run is already open; returns what it did, for the check's
   * record.
   */
  private String retrain(DriftReport report) {
    Instant now = now();
    if (state.lastRetrainingAt() != null) {
      Instant until = Instant.parse(state.lastRetrainingAt()).plus(policy.quiet());
      if (now.isBefore(until)) {
        return "cooldown until " + until;
      }
    }
    // The default type's id is ContinuousTrainingWorkflow.workflowId(model), as before.
    String id = PerennialPipeline.workflowId(pipelineType, model);
    String why =
        "drift in "
            + report.from()
            + " to "
            + report.to()
            + ": "
            + String.join("; ", report.decision().reasons());
    phase = STARTING_RETRAINING;
    message = "starting retraining " + id + ": " + why;
    // Untyped, by type name: the same StartChildWorkflowExecution command the typed stub of
    // ContinuousTraining made, so recorded monitors replay without a version marker.
    ChildWorkflowStub child =
        Workflow.newUntypedChildWorkflowStub(
            pipelineType,
            ChildWorkflowOptions.newBuilder()
                .setWorkflowId(id)
                .setTaskQueue(TaskQueues.PIPELINES)
                // The retraining outlives this run: it continues as new, or is stopped, meanwhile.
                .setParentClosePolicy(ParentClosePolicy.PARENT_CLOSE_POLICY_ABANDON)
                .build());
    Promise<ContinuousTrainingResult> result =
        child.executeAsync(
            ContinuousTrainingResult.class, retraining.forDrift(model, link(report), why));
    WorkflowExecution started;
    try {
      started = child.getExecution().get();
    } catch (ChildWorkflowFailure e) {
      if (e.getCause() instanceof WorkflowExecutionAlreadyStarted) {
        return "retraining already running: " + id;
      }
      return "retraining not started: " + failureMessage(e);
    }
    String run = id + "/" + started.getRunId();
    result.handle(
        (r, failure) -> {
          // Only seen while this run lasts; the retraining's own history is the record.
          log.info(
              "drift retraining {} ended: {}",
              run,
              failure == null ? r.message() : failure.getMessage());
          return null;
        });
    Instant at = now();
    state =
        new DriftMonitorState(
            state.checks(), state.recent(), state.retrainings() + 1, at.toString(), run);
    return "started retraining " + run;
  }

  private void record(DriftCheck check) {
    List<DriftCheck> recent = new ArrayList<>(state.recent());
    recent.add(check);
    state =
        trimmed(
            new DriftMonitorState(
                state.checks() + 1,
                recent,
                state.retrainings(),
                state.lastRetrainingAt(),
                state.lastRetrainingRun()));
  }

  /** {@code s} with at most the policy's {@code keepReports} recent checks, the newest. */
  private DriftMonitorState trimmed(DriftMonitorState s) {
    List<DriftCheck> recent = s.recent() == null ? List.of() : s.recent();
    int keep = policy.keepReports();
    if (recent.size() > keep) {
      recent = recent.subList(recent.size() - keep, recent.size());
    }
    return new DriftMonitorState(
        s.checks(),
        List.copyOf(recent),
        s.retrainings(),
        s.lastRetrainingAt(),
        s.lastRetrainingRun());
  }

  /** Links the latest report from the run's memo, shown in the Temporal UI. */
  private void memo(DriftCheck check) {
    if (check.verdict() == null) {
      return; // A failed measurement wrote no report: the previous one stays linked.
    }
    Map<String, Object> memo = new LinkedHashMap<>();
    memo.put(MEMO_VERDICT, check.verdict().name());
    if (check.report() != null) {
      memo.put(MEMO_REPORT, check.report());
    }
    Workflow.upsertMemo(memo);
  }

  private DriftMonitorResult stopped() {
    phase = STOPPED;
    nextCheckAt = null;
    message = "stopped after " + state.checks() + " checks: " + stopReason;
    Workflow.upsertTypedSearchAttributes(PerennialSearchAttributes.STAGE.valueSet("DRIFT_STOPPED"));
    log.info("drift monitor of {}: {}", model, message);
    return new DriftMonitorResult(model, state, stopReason);
  }

  private String lastCheckSummary() {
    if (state.recent().isEmpty()) {
      return "; every " + Durations.format(policy.every()) + ", no check yet";
    }
    DriftCheck last = state.recent().get(state.recent().size() - 1);
    return "; last check at "
        + last.at()
        + ": "
        + (last.verdict() == null ? "no verdict" : last.verdict())
        + ", "
        + last.action();
  }

  private static ObjectRef link(DriftReport report) {
    return report.html() != null ? report.html() : report.json();
  }

  private static Double maxPsi(DriftReport report) {
    Double max = null;
    if (report.features() != null) {
      for (FeatureDrift f : report.features()) {
        if (f.psi() != null && (max == null || f.psi() > max)) {
          max = f.psi();
        }
      }
    }
    return max;
  }

  /** The innermost message: the activity's or the server's own words, not the wrappers'. */
  private static String failureMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t instanceof ApplicationFailure a ? a.getOriginalMessage() : t.getMessage();
  }

  private static Instant now() {
    return Instant.ofEpochMilli(Workflow.currentTimeMillis());
  }

  @Override
  public DriftMonitorStatus status() {
    return new DriftMonitorStatus(model, policy, phase, nextCheckAt, state, message);
  }

  @Override
  public void stop(String reason) {
    stopReason = reason == null || reason.isBlank() ? "asked for" : reason;
  }

  @Override
  public void checkNow(String reason) {
    checkNowReason = reason == null || reason.isBlank() ? "asked for" : reason;
  }
}
