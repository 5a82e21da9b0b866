package dev.perennial.workflows.pipeline;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Turns a dataset into a registered, gated model version: snapshot, validate, train, evaluate
 * against the champion, gate, register, promote.
 */
@WorkflowInterface
public interface ContinuousTrainingWorkflow {
  /** Stable workflow type name, used by the UI, schedules and the command line. */
  String TYPE = "ContinuousTraining";

  /** The workflow id the command line uses for a model's run. */
  static String workflowId(String model) {
    return "continuous-training-" + model;
  }

  @WorkflowMethod(name = TYPE)
  ContinuousTrainingResult run(ContinuousTrainingRequest request);

  /** Stage, progress and decision of the run. */
  @QueryMethod(name = "status", description = "Stage, progress (0-1) and gate decision of the run")
  PipelineStatus status();

  /** Stops the run: the current step is cancelled and nothing more is registered or promoted. */
  @SignalMethod(name = "abort", description = "Abort the run; give a reason as a JSON string")
  void abort(String reason);
}
