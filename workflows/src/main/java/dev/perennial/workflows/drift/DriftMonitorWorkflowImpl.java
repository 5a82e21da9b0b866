package dev.perennial.workflows.drift;

import dev.perennial.workflows.ActivityStubs;
import dev.perennial.workflows.CheckControl;
import dev.perennial.workflows.FailureTypes;
import dev.perennial.workflows.Instruction;
import dev.perennial.workflows.PerennialSearchAttributes;
import dev.perennial.workflows.RequestProblems;
import dev.perennial.workflows.RunMetrics;
import dev.perennial.workflows.pipeline.ContinuousTrainingRequest;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Workflow;
import java.time.Instant;
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
  private final CheckControl control = new CheckControl("monitor");
  private final DriftProgress progress = new DriftProgress();

  private String model;
  private DriftPolicy policy;
  private Retrainings retrainings;
  private DriftMonitorState state = DriftMonitorState.initial();
  private boolean anchored;

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
    policy = request.policy() == null ? DriftPolicy.defaults() : request.policy().withDefaults();
    retrainings =
        new Retrainings(
            model,
            request.pipelineType(),
            request.retraining() == null
                ? ContinuousTrainingRequest.of(model)
                : request.retraining(),
            policy);
    state =
        request.carried() == null
            ? DriftMonitorState.initial()
            : request.carried().trimmed(policy.keepReports());
    Workflow.upsertTypedSearchAttributes(
        PerennialSearchAttributes.MODEL.valueSet(model),
        PerennialSearchAttributes.STAGE.valueSet("DRIFT_MONITORING"));
    if (state.last() != null) {
      // A continued run starts with an empty memo of its own: show the latest report again.
      memo(state.last());
    }
    anchored = Workflow.getVersion(ANCHORED_SCHEDULE, Workflow.DEFAULT_VERSION, 1) >= 1;

    int checksThisRun = 0;
    while (true) {
      if (control.stopping()) {
        return stopped();
      }
      if (control.handOver(checksThisRun, checksPerRun)) {
        break;
      }
      Instant now = now();
      Instant next = nextCheck(now);
      progress.waiting(
          next.toString(), "next check at " + next + state.lastCheckSummary(policy.every()));
      if (!control.checkAsked() && next.isAfter(now)) {
        control.awaitNextCheck(anchored ? java.time.Duration.between(now, next) : policy.every());
      }
      if (control.stopping()) {
        continue;
      }
      check(control.takeCheckNow());
      checksThisRun++;
    }
    progress.say(
        "continuing as new after "
            + checksThisRun
            + " checks"
            + state.lastCheckSummary(policy.every()));
    log.info("drift monitor of {}: {}", model, progress.message());
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
    if (!anchored || state.last() == null) {
      return now.plus(policy.every());
    }
    return nextCheck(now, state.last().at(), policy.every());
  }

  /** One interval after the latest window's end {@code lastAt}, or {@code now} if that passed. */
  static Instant nextCheck(Instant now, String lastAt, java.time.Duration every) {
    Instant due = Instant.parse(lastAt).plus(every);
    return due.isAfter(now) ? due : now;
  }

  /** Measures the window that ends now and acts on its verdict; {@code asked} by a check-now. */
  private void check(String asked) {
    Instant to = now();
    Instant from = to.minus(policy.span());
    progress.enter(
        DriftPhase.MEASURING,
        "measuring " + from + " to " + to + (asked == null ? "" : " (check-now: " + asked + ")"));
    DriftReport report;
    try {
      report = drift.measure(new DriftWindow(model, from.toString(), to.toString(), policy));
    } catch (ActivityFailure e) {
      if (CancellationScope.current().isCancelRequested()) {
        throw e;
      }
      // Transient faults retry for ever, so this is bad input (a model without a reference
      // profile, say): recorded where people look, and the next window is measured as usual.
      String why = "measurement failed: " + FailureTypes.innermostMessage(e);
      log.warn("drift monitor of {}, window {} to {}: {}", model, from, to, why);
      state = state.withCheck(DriftCheck.failed(to.toString(), why), policy.keepReports());
      RunMetrics.driftCheck(model, RunMetrics.DRIFT_CHECK_FAILED);
      return;
    }
    DriftVerdict verdict = report.decision().verdict();
    RunMetrics.driftCheck(model, verdict.name());
    String action = "none";
    if (verdict == DriftVerdict.DRIFT) {
      Retrainings.Started started = retrainings.start(report, state, progress);
      state = started.state();
      action = started.action();
    }
    log.info(
        "drift monitor of {}, window {} to {}: {} {}; {}",
        model,
        from,
        to,
        verdict,
        report.decision().reasons(),
        action);
    DriftCheck check = DriftCheck.of(report, to.toString(), action);
    state = state.withCheck(check, policy.keepReports());
    memo(check);
  }

  /** Links the latest report from the run's memo, shown in the Temporal UI. */
  private static void memo(DriftCheck check) {
    if (check.verdict() != null) { // A failed measurement wrote no report: the previous one stays.
      Workflow.upsertMemo(check.memo(MEMO_VERDICT, MEMO_REPORT));
    }
  }

  private DriftMonitorResult stopped() {
    progress.enter(
        DriftPhase.STOPPED, "stopped after " + state.checks() + " checks: " + control.stopReason());
    Workflow.upsertTypedSearchAttributes(PerennialSearchAttributes.STAGE.valueSet("DRIFT_STOPPED"));
    log.info("drift monitor of {}: {}", model, progress.message());
    return new DriftMonitorResult(model, state, control.stopReason());
  }

  private static Instant now() {
    return Instant.ofEpochMilli(Workflow.currentTimeMillis());
  }

  @Override
  public DriftMonitorStatus status() {
    return progress.status(model, policy, state);
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
