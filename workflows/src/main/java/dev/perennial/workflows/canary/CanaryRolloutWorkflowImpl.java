package dev.perennial.workflows.canary;

import dev.perennial.workflows.ActivityStubs;
import dev.perennial.workflows.Durations;
import dev.perennial.workflows.FailureTypes;
import dev.perennial.workflows.PerennialSearchAttributes;
import dev.perennial.workflows.RequestProblems;
import dev.perennial.workflows.registry.AliasChange;
import dev.perennial.workflows.registry.Aliases;
import dev.perennial.workflows.registry.ModelVersion;
import dev.perennial.workflows.registry.RegistryActivities;
import dev.perennial.workflows.registry.Rejection;
import dev.perennial.workflows.registry.TrafficChange;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Workflow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;

/**
 * The canary rollout. Every decision is made from activity results and signals, and every wait is a
 * durable timer, so a worker that dies mid-bake is replaced by one that resumes at the same step
 * with the same clock.
 */
public class CanaryRolloutWorkflowImpl implements CanaryRolloutWorkflow {
  private static final Logger log = Workflow.getLogger(CanaryRolloutWorkflowImpl.class);

  /**
   * Change id: rollouts from version 1 on let a difference count as a breach only beyond its noise
   * ({@link CanaryPolicy#standardErrors()}). Rollouts started before it keep judging the measured
   * figures alone, as they did.
   */
  static final String NOISE_AWARE = "canary-noise-aware";

  private final RegistryActivities registry =
      Workflow.newActivityStub(RegistryActivities.class, ActivityStubs.REGISTRY);
  private final CanaryActivities analysis =
      Workflow.newActivityStub(CanaryActivities.class, ActivityStubs.ANALYSIS);

  private String model;
  private int version;
  private int champion;
  private CanaryPolicy policy;
  private String actor;
  private final List<StepReport> history = new ArrayList<>();
  private CanaryStatus status =
      new CanaryStatus(
          null, 0, null, CanaryPhase.STARTING, 0, List.of(), 0, false, false, null, null, "");

  // Set by signals.
  private boolean paused;
  private String pauseReason;
  private boolean approved;
  private String promoteNowReason;
  private String abortReason;

  @Override
  public CanaryResult run(CanaryRolloutRequest request) {
    if (request == null) {
      throw ApplicationFailure.newNonRetryableFailure(
          "Invalid CanaryRollout request: send {\"model\":\"credit-default\",\"version\":4}",
          FailureTypes.INVALID_REQUEST);
    }
    new RequestProblems().addAll(request.problems()).throwIfAny("CanaryRollout request");
    CanaryRolloutRequest r = request.withDefaults();
    model = r.model();
    version = r.version();
    policy =
        Workflow.getVersion(NOISE_AWARE, Workflow.DEFAULT_VERSION, 1) >= 1
            ? r.policy()
            : r.policy().withStandardErrors(0.0);
    actor = r.actor() == null ? "workflow:" + Workflow.getInfo().getWorkflowId() : r.actor();
    Workflow.upsertTypedSearchAttributes(
        PerennialSearchAttributes.MODEL.valueSet(model),
        PerennialSearchAttributes.STAGE.valueSet("CANARY_" + CanaryPhase.STARTING));
    status = status(CanaryPhase.STARTING, 0, 0, "finding the champion");

    ModelVersion current = registry.findAlias(model, Aliases.CHAMPION);
    if (current == null) {
      throw ApplicationFailure.newNonRetryableFailure(
          "model "
              + model
              + " has no champion to compare a canary with: its first approved version is"
              + " promoted by ContinuousTraining directly",
          FailureTypes.INVALID_REQUEST);
    }
    if (current.version() == version) {
      throw ApplicationFailure.newNonRetryableFailure(
          "v" + version + " of " + model + " is already champion: nothing to roll out",
          FailureTypes.INVALID_REQUEST);
    }
    champion = current.version();
    try {
      return rollout();
    } catch (TemporalFailure e) {
      if (!CancellationScope.current().isCancelRequested()) {
        throw e;
      }
      // Cancelled from outside (the parent pipeline was aborted, say), while waiting or inside an
      // activity: the champion takes all traffic back before the run ends, in a scope the
      // cancellation does not reach.
      Workflow.newDetachedCancellationScope(() -> endCanary("rollout cancelled")).run();
      finish(CanaryOutcome.ABORTED, "cancelled");
      throw e;
    }
  }

  private CanaryResult rollout() {
    List<Integer> steps = policy.steps();
    VersionStats baseline = null;
    steps:
    for (int i = 0; i < steps.size(); i++) {
      int percent = steps.get(i);
      int step = i + 1;
      if (!awaitUnpaused(step, status.canaryPercent())) {
        return aborted();
      }
      if (promoteNowReason != null) {
        break;
      }
      status =
          status(CanaryPhase.SHIFTING, step, percent, "shifting " + percent + " % to v" + version);
      registry.setTrafficSplit(
          new TrafficChange(
              model, version, percent, "canary step " + step + " of " + steps.size(), actor));
      for (int attempt = 0; ; attempt++) {
        Instant from = Instant.ofEpochMilli(Workflow.currentTimeMillis());
        status =
            status(
                CanaryPhase.BAKING,
                step,
                percent,
                "baking "
                    + Durations.format(policy.bake())
                    + " at "
                    + percent
                    + " %"
                    + (attempt == 0 ? "" : " (extension " + attempt + ")"));
        Workflow.await(
            policy.bake(), () -> paused || abortReason != null || promoteNowReason != null);
        if (abortReason != null) {
          return aborted();
        }
        if (promoteNowReason != null) {
          break steps;
        }
        if (paused) {
          if (!awaitUnpaused(step, percent)) {
            return aborted();
          }
          if (promoteNowReason != null) {
            break steps;
          }
          attempt--; // A paused bake does not count: the step bakes afresh.
          continue;
        }
        Instant to = Instant.ofEpochMilli(Workflow.currentTimeMillis());
        status =
            status(
                CanaryPhase.ANALYSING,
                step,
                percent,
                "comparing v" + version + " with v" + champion);
        CanaryAnalysis a =
            analysis.analyse(
                new AnalysisWindow(model, champion, version, from.toString(), to.toString()));
        VersionStats compared =
            a.champion().requests() >= policy.minRequests() || baseline == null
                ? a.champion()
                : baseline;
        CanaryJudge.Judgement j = CanaryJudge.judge(policy, compared, a.canary());
        StepReport report =
            new StepReport(
                step,
                percent,
                attempt,
                from.toString(),
                to.toString(),
                compared,
                a.canary(),
                j.verdict(),
                j.findings());
        history.add(report);
        log.info(
            "{} v{} step {} at {} %: {} {}",
            model, version, step, percent, j.verdict(), j.findings());
        if (j.verdict() == Verdict.PASS) {
          if (a.champion().requests() >= policy.minRequests()) {
            baseline = a.champion();
          }
          break;
        }
        if (j.verdict() == Verdict.BREACH) {
          return rolledBack(step, percent, String.join("; ", j.breaches()));
        }
        if (policy.onLowTraffic() == LowTraffic.EXTEND && attempt >= policy.maxExtensions()) {
          return inconclusive(step, String.join("; ", j.findings()));
        }
      }
    }
    if (promoteNowReason == null && policy.requireApproval() && !approved) {
      status =
          status(
              CanaryPhase.AWAITING_APPROVAL,
              status.step(),
              status.canaryPercent(),
              "every step passed; waiting up to "
                  + Durations.format(policy.approvalWait())
                  + " for an approve signal");
      boolean decided =
          Workflow.await(
              policy.approvalWait(),
              () -> approved || abortReason != null || promoteNowReason != null);
      if (abortReason != null) {
        return aborted();
      }
      if (!decided) {
        String reason =
            "no approval within " + Durations.format(policy.approvalWait()) + "; champion kept";
        endCanary(reason);
        return finish(CanaryOutcome.APPROVAL_TIMED_OUT, reason);
      }
    }
    return promote();
  }

  /**
   * Waits while paused. False when aborted meanwhile; true when running (or told to promote now).
   */
  private boolean awaitUnpaused(int step, int percent) {
    if (paused) {
      status =
          status(CanaryPhase.PAUSED, step, percent, "paused at " + percent + " %: " + pauseReason);
      Workflow.await(() -> !paused || abortReason != null || promoteNowReason != null);
    }
    return abortReason == null;
  }

  private CanaryResult promote() {
    String reason =
        promoteNowReason != null
            ? "promoted now: " + promoteNowReason
            : "canary passed " + policy.steps().size() + " steps against v" + champion;
    status = status(CanaryPhase.PROMOTING, status.step(), status.canaryPercent(), reason);
    // Champion first: while the split still names the canary, both routes lead to it.
    registry.setAlias(new AliasChange(model, Aliases.CHAMPION, version, reason, actor));
    registry.setTrafficSplit(TrafficChange.championOnly(model, reason, actor));
    return finish(CanaryOutcome.PROMOTED, reason);
  }

  private CanaryResult rolledBack(int step, int percent, String breaches) {
    String reason = "step " + step + " at " + percent + " %: " + breaches;
    status = status(CanaryPhase.ROLLING_BACK, step, percent, reason);
    endCanary("canary breached: " + reason);
    registry.reject(new Rejection(model, version, "canary breached at " + reason, actor, null));
    return finish(CanaryOutcome.ROLLED_BACK, reason);
  }

  private CanaryResult inconclusive(int step, String findings) {
    String reason =
        "step "
            + step
            + " saw too little traffic after "
            + policy.maxExtensions()
            + " extensions ("
            + findings
            + ")";
    endCanary(reason);
    return finish(CanaryOutcome.INCONCLUSIVE, reason);
  }

  private CanaryResult aborted() {
    String reason = "aborted: " + abortReason;
    endCanary(reason);
    return finish(CanaryOutcome.ABORTED, reason);
  }

  /** All traffic back to the champion (idempotent). */
  private void endCanary(String reason) {
    registry.setTrafficSplit(TrafficChange.championOnly(model, reason, actor));
  }

  private CanaryResult finish(CanaryOutcome outcome, String reason) {
    int now = outcome == CanaryOutcome.PROMOTED ? version : champion;
    String message =
        switch (outcome) {
          case PROMOTED -> "v" + version + " is champion (was v" + champion + ")";
          case ROLLED_BACK -> "v" + version + " rolled back and withdrawn; v" + champion + " stays";
          default ->
              "v"
                  + version
                  + " "
                  + outcome.name().toLowerCase().replace('_', ' ')
                  + "; v"
                  + champion
                  + " stays champion";
        };
    status =
        new CanaryStatus(
            model,
            version,
            now,
            CanaryPhase.DONE,
            status.step(),
            policy.steps(),
            0,
            paused,
            approved,
            history.isEmpty() ? null : history.get(history.size() - 1),
            outcome,
            message + ": " + reason);
    Workflow.upsertTypedSearchAttributes(
        PerennialSearchAttributes.STAGE.valueSet("CANARY_" + outcome));
    log.info("{}: {} ({})", model, message, reason);
    return new CanaryResult(
        model, version, outcome, now, champion, reason, List.copyOf(history), message);
  }

  private CanaryStatus status(CanaryPhase phase, int step, int percent, String message) {
    if (phase != status.phase()) {
      Workflow.upsertTypedSearchAttributes(
          PerennialSearchAttributes.STAGE.valueSet("CANARY_" + phase));
    }
    return new CanaryStatus(
        model,
        version,
        champion == 0 ? null : champion,
        phase,
        step,
        policy == null ? List.of() : policy.steps(),
        percent,
        paused,
        approved,
        history.isEmpty() ? null : history.get(history.size() - 1),
        null,
        message);
  }

  @Override
  public CanaryStatus status() {
    return new CanaryStatus(
        status.model(),
        status.version(),
        status.champion(),
        status.phase(),
        status.step(),
        status.steps(),
        status.canaryPercent(),
        paused,
        approved,
        status.lastAnalysis(),
        status.outcome(),
        status.message());
  }

  @Override
  public void pause(String reason) {
    paused = true;
    pauseReason = reason == null || reason.isBlank() ? "asked for" : reason;
  }

  @Override
  public void resume(String note) {
    paused = false;
  }

  @Override
  public void approve(String who) {
    approved = true;
  }

  @Override
  public void promoteNow(String reason) {
    promoteNowReason = reason == null || reason.isBlank() ? "asked for" : reason;
  }

  @Override
  public void abort(String reason) {
    abortReason = reason == null || reason.isBlank() ? "asked for" : reason;
  }
}
