package dev.perennial.workflows.drift;

import dev.perennial.workflows.pipeline.ContinuousTrainingRequest;
import dev.perennial.workflows.pipeline.PerennialPipeline;
import dev.perennial.workflows.pipeline.Retraining;
import io.temporal.workflow.Workflow;
import java.time.Instant;

/**
 * Starts the monitor's pipeline ({@code ContinuousTraining} by default) for a breaching report,
 * unless the cooldown holds or a run for the model is already open ({@link Retraining}).
 */
final class Retrainings {
  private final String model;
  private final String pipelineType;
  private final ContinuousTrainingRequest retraining;
  private final DriftPolicy policy;

  Retrainings(
      String model, String pipelineType, ContinuousTrainingRequest retraining, DriftPolicy policy) {
    this.model = model;
    this.pipelineType = pipelineType;
    this.retraining = retraining;
    this.policy = policy;
  }

  /** What starting a retraining did, for the check's record, and the state after it. */
  record Started(String action, DriftMonitorState state) {}

  /** Starts a retraining for {@code report} unless one may not start now. */
  Started start(DriftReport report, DriftMonitorState state, DriftProgress progress) {
    Instant now = Instant.ofEpochMilli(Workflow.currentTimeMillis());
    if (state.lastRetrainingAt() != null) {
      Instant until = Instant.parse(state.lastRetrainingAt()).plus(policy.quiet());
      if (now.isBefore(until)) {
        return new Started("cooldown until " + until, state);
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
    progress.enter(DriftPhase.STARTING_RETRAINING, "starting retraining " + id + ": " + why);
    return switch (Retraining.start(pipelineType, retraining.forDrift(model, report.link(), why))) {
      case Retraining.AlreadyRunning running ->
          new Started("retraining already running: " + running.workflowId(), state);
      case Retraining.NotStarted refused ->
          new Started("retraining not started: " + refused.reason(), state);
      case Retraining.Started started -> {
        String at = Instant.ofEpochMilli(Workflow.currentTimeMillis()).toString();
        yield new Started(
            "started retraining " + started.run(), state.withRetraining(at, started.run()));
      }
    };
  }
}
