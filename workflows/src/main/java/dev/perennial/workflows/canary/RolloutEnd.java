package dev.perennial.workflows.canary;

import dev.perennial.workflows.Instruction;
import dev.perennial.workflows.RunMetrics;
import dev.perennial.workflows.registry.AliasChange;
import dev.perennial.workflows.registry.Aliases;
import dev.perennial.workflows.registry.RegistryActivities;
import dev.perennial.workflows.registry.Rejection;
import dev.perennial.workflows.registry.TrafficChange;
import io.temporal.workflow.Workflow;
import org.slf4j.Logger;

/**
 * The ways a rollout ends, each with its registry changes and the reason and actor the registry's
 * audit records: the rollout's actor, or the person who told it to promote, approve or abort.
 */
final class RolloutEnd {
  private static final Logger log = Workflow.getLogger(RolloutEnd.class);

  private final RegistryActivities registry;
  private final String model;
  private final int version;
  private final int champion;
  private final String actor;
  private final RolloutMode mode;
  private final RolloutControl control;
  private final CanaryProgress progress;

  RolloutEnd(
      RegistryActivities registry,
      String model,
      int version,
      int champion,
      String actor,
      RolloutMode mode,
      RolloutControl control,
      CanaryProgress progress) {
    this.registry = registry;
    this.model = model;
    this.version = version;
    this.champion = champion;
    this.actor = actor;
    this.mode = mode;
    this.control = control;
    this.progress = progress;
  }

  /** The canary becomes champion: it {@code passed}, or someone said so. */
  CanaryResult promote(String passed) {
    RolloutControl.Promotion p = control.promotion(passed, actor);
    progress.enter(CanaryPhase.PROMOTING, progress.step(), progress.percent(), p.reason());
    // Champion first: while the split still names the canary, both routes lead to it.
    registry.setAlias(new AliasChange(model, Aliases.CHAMPION, version, p.reason(), p.actor()));
    registry.setTrafficSplit(TrafficChange.championOnly(model, p.reason(), p.actor()));
    return finish(CanaryOutcome.PROMOTED, p.reason());
  }

  /** A step breached: traffic back (a shadow stops scoring), and the version withdrawn. */
  CanaryResult rolledBack(int step, int percent, String breaches) {
    String reason = "step " + step + " at " + percent + " %: " + breaches;
    progress.enter(CanaryPhase.ROLLING_BACK, step, percent, reason);
    championOnly(mode.role() + " breached: " + reason, actor);
    registry.reject(
        new Rejection(model, version, mode.role() + " breached at " + reason, actor, null));
    return finish(CanaryOutcome.ROLLED_BACK, reason);
  }

  /** Traffic back, the version kept as it is, for {@code outcome}. */
  CanaryResult championKept(CanaryOutcome outcome, String reason) {
    championOnly(reason, actor);
    return finish(outcome, reason);
  }

  /** Someone aborted: traffic back in their name, the version kept approved. */
  CanaryResult aborted() {
    Instruction abort = control.abortInstruction();
    String reason = "aborted: " + abort.why();
    championOnly(reason, abort.actorOr(actor));
    return finish(CanaryOutcome.ABORTED, reason);
  }

  /**
   * Cancelled from outside (the parent pipeline was aborted, say): the champion takes all traffic
   * back before the run ends, in a scope the cancellation does not reach.
   */
  void cancelled() {
    Workflow.newDetachedCancellationScope(() -> championOnly("rollout cancelled", actor)).run();
    finish(CanaryOutcome.ABORTED, "cancelled");
  }

  /** All traffic back to the champion (idempotent). */
  private void championOnly(String reason, String by) {
    registry.setTrafficSplit(TrafficChange.championOnly(model, reason, by));
  }

  private CanaryResult finish(CanaryOutcome outcome, String reason) {
    control.end();
    int now = RolloutDecisions.championAfter(outcome, version, champion);
    String message = RolloutDecisions.message(mode, outcome, version, champion);
    progress.done(outcome, now, message + ": " + reason);
    RunMetrics.rolloutEnded(model, outcome.name());
    RunMetrics.canaryShare(model, 0);
    log.info("{}: {} ({})", model, message, reason);
    return new CanaryResult(
        model, version, outcome, now, champion, reason, progress.history(), message, mode);
  }
}
