package dev.perennial.worker.userapp;

import dev.perennial.workflows.pipeline.ContinuousTrainingRequest;
import dev.perennial.workflows.pipeline.ContinuousTrainingResult;
import dev.perennial.workflows.pipeline.PerennialPipeline;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** A pipeline the Temporal starter's auto-discovery registers. */
@WorkflowInterface
public interface ScannedPipeline extends PerennialPipeline {
  String TYPE = "ScannedPipeline";

  @WorkflowMethod(name = TYPE)
  ContinuousTrainingResult run(ContinuousTrainingRequest request);
}
