package dev.perennial.workflows.canary;

import dev.perennial.workflows.ActivityStubs;
import dev.perennial.workflows.Durations;
import dev.perennial.workflows.FailureTypes;
import dev.perennial.workflows.PerennialSearchAttributes;
import dev.perennial.workflows.RequestProblems;
import dev.perennial.workflows.RunMetrics;
import dev.perennial.workflows.registry.Aliases;
import dev.perennial.workflows.registry.RegistryActivities;
import dev.perennial.workflows.registry.TrafficChange;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInit;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;

/**
 * The canary (or shadow) rollout. Every decision is made from activity results and messages, and
 * every wait is a durable timer, so a worker that dies mid-bake is replaced by one that resumes at
 * the same step with the same clock. What people say arrives in a {@link RolloutControl}; where the
 * rollout stands is kept by a {@link CanaryProgress}.
 */
public class CanaryRolloutWorkflowImpl extends RolloutMessages {
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

  /**
   * What {@link #step} returns when told to promote now: leave the steps at once for the promotion.
   */
  private static final CanaryResult PROMOTE_NOW =
      new CanaryResult(null, 0, null, 0, 0, null, List.of(), null, null);

  private String model;
  private int version;
  private int champion;
  private CanaryPolicy policy;
  private RolloutMode mode;
  private String actor;
  private VersionStats baseline;
  private RolloutEnd end;

  @WorkflowInit
  public CanaryRolloutWorkflowImpl(CanaryRolloutRequest request) {
    super(request);
  }

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
    mode = r.mode();
    policy =
        Workflow.getVersion(NOISE_AWARE, Workflow.DEFAULT_VERSION, 1) >= 1
            ? r.policy()
            : r.policy().withStandardErrors(0.0);
    actor = r.actor() == null ? "workflow:" + Workflow.getInfo().getWorkflowId() : r.actor();
    progress.start(model, version, policy.steps(), mode);
    Workflow.upsertTypedSearchAttributes(
        PerennialSearchAttributes.MODEL.valueSet(model),
        PerennialSearchAttributes.STAGE.valueSet(progress.stage(CanaryPhase.STARTING)));
    progress.enter(CanaryPhase.STARTING, 0, 0, "finding the champion");

    champion =
        RolloutDecisions.championToBeat(
            model, registry.findAlias(model, Aliases.CHAMPION), version);
    progress.champion(champion);
    end = new RolloutEnd(registry, model, version, champion, actor, mode, control, progress);
    try {
      return rollout();
    } catch (TemporalFailure e) {
      if (!CancellationScope.current().isCancelRequested()) {
        throw e;
      }
      end.cancelled(); // while waiting or inside an activity
      throw e;
    }
  }

  private CanaryResult rollout() {
    for (int i = 0; i < policy.steps().size(); i++) {
      if (!awaitUnpaused(i + 1, progress.percent())) {
        return end.aborted();
      }
      if (control.promotingNow()) {
        break;
      }
      CanaryResult ended = step(i + 1, policy.steps().get(i));
      if (ended == PROMOTE_NOW) {
        break;
      }
      if (ended != null) {
        return ended;
      }
    }
    if (!control.promotingNow() && policy.requireApproval() && !control.approved()) {
      progress.enter(
          CanaryPhase.AWAITING_APPROVAL,
          progress.step(),
          progress.percent(),
          "every step passed; waiting up to "
              + Durations.format(policy.approvalWait())
              + " for an approve signal");
      boolean decided = Workflow.await(policy.approvalWait(), control::decided);
      if (control.aborted()) {
        return end.aborted();
      }
      if (!decided) {
        String reason =
            "no approval within " + Durations.format(policy.approvalWait()) + "; champion kept";
        return end.championKept(CanaryOutcome.APPROVAL_TIMED_OUT, reason);
      }
    }
    return end.promote(
        mode.role() + " passed " + policy.steps().size() + " steps against v" + champion);
  }

  /**
   * Shifts, bakes and judges one step until it passes: null to take the next step, {@link
   * #PROMOTE_NOW} to leave the steps for the promotion, the result when the rollout ends here.
   */
  private CanaryResult step(int step, int percent) {
    boolean shadow = mode == RolloutMode.SHADOW;
    String stepName = mode.role() + " step " + step + " of " + policy.steps().size();
    if (shadow) {
      // The champion keeps every answer: the canary share the dashboards plot stays 0.
      progress.enter(
          CanaryPhase.SHIFTING,
          step,
          percent,
          "v" + version + " shadows " + percent + " % of the requests");
      registry.setTrafficSplit(TrafficChange.shadow(model, version, percent, stepName, actor));
    } else {
      progress.enter(
          CanaryPhase.SHIFTING, step, percent, "shifting " + percent + " % to v" + version);
      RunMetrics.canaryShare(model, percent);
      registry.setTrafficSplit(new TrafficChange(model, version, percent, stepName, actor));
    }
    for (int attempt = 0; ; attempt++) {
      Instant from = now();
      progress.enter(
          CanaryPhase.BAKING,
          step,
          percent,
          "baking "
              + Durations.format(policy.bake())
              + " at "
              + percent
              + " %"
              + (attempt == 0 ? "" : " (extension " + attempt + ")"));
      Workflow.await(policy.bake(), control::interrupted);
      if (control.aborted()) {
        return end.aborted();
      }
      if (control.promotingNow()) {
        return PROMOTE_NOW;
      }
      if (control.paused()) {
        if (!awaitUnpaused(step, percent)) {
          return end.aborted();
        }
        if (control.promotingNow()) {
          return PROMOTE_NOW;
        }
        attempt--; // A paused bake does not count: the step bakes afresh.
        continue;
      }
      Instant to = now();
      progress.enter(
          CanaryPhase.ANALYSING, step, percent, "comparing v" + version + " with v" + champion);
      CanaryAnalysis a =
          analysis.analyse(
              new AnalysisWindow(model, champion, version, from.toString(), to.toString(), shadow));
      VersionStats compared =
          a.champion().requests() >= policy.minRequests() || baseline == null
              ? a.champion()
              : baseline;
      CanaryJudge.Judgement j = CanaryJudge.judge(policy, mode, compared, a.canary(), a.shadow());
      progress.analysed(
          new StepReport(
              step,
              percent,
              attempt,
              from.toString(),
              to.toString(),
              compared,
              a.canary(),
              j.verdict(),
              j.findings(),
              a.shadow()));
      RunMetrics.canaryStep(model, j.verdict().name());
      log.info(
          "{} {} v{} step {} at {} %: {} {}",
          model, mode.role(), version, step, percent, j.verdict(), j.findings());
      switch (RolloutDecisions.afterBake(policy, j.verdict(), attempt)) {
        case NEXT_STEP -> {
          if (a.champion().requests() >= policy.minRequests()) {
            baseline = a.champion();
          }
          return null;
        }
        case ROLL_BACK -> {
          return end.rolledBack(step, percent, String.join("; ", j.breaches()));
        }
        case INCONCLUSIVE -> {
          return end.championKept(
              CanaryOutcome.INCONCLUSIVE,
              "step "
                  + step
                  + " saw too little traffic after "
                  + policy.maxExtensions()
                  + " extensions ("
                  + String.join("; ", j.findings())
                  + ")");
        }
        case BAKE_AGAIN -> {}
      }
    }
  }

  /** Waits while paused. False when aborted meanwhile; true when running (or told to promote). */
  private boolean awaitUnpaused(int step, int percent) {
    if (control.paused()) {
      progress.enter(
          CanaryPhase.PAUSED,
          step,
          percent,
          "paused at " + percent + " %: " + control.pauseInstruction().signed());
      control.awaitUnpaused();
    }
    return !control.aborted();
  }

  private static Instant now() {
    return Instant.ofEpochMilli(Workflow.currentTimeMillis());
  }
}
