package dev.perennial.workflows.pipeline;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Turns a dataset into a registered, gated model version: snapshot, validate, train, evaluate
 * against the champion, gate, register, promote. Answers the {@code status} query and the {@code
 * abort} signal of every {@link PerennialPipeline}.
 */
@WorkflowInterface
public interface ContinuousTrainingWorkflow extends PerennialPipeline {
  /** Stable workflow type name, used by the UI, schedules and the command line. */
  String TYPE = "ContinuousTraining";

  /** The workflow id the command line uses for a model's run. */
  static String workflowId(String model) {
    return "continuous-training-" + model;
  }

  @WorkflowMethod(name = TYPE)
  ContinuousTrainingResult run(ContinuousTrainingRequest request);
}
