package dev.perennial.worker.testpipeline;

import dev.perennial.workflows.pipeline.ContinuousTrainingRequest;
import dev.perennial.workflows.pipeline.ContinuousTrainingResult;
import dev.perennial.workflows.pipeline.Outcome;
import dev.perennial.workflows.pipeline.PipelineWorkflow;

/** Trains nothing: greets the model, so a test sees the run complete. */
public class GreetingPipelineImpl extends PipelineWorkflow implements GreetingPipeline {
  @Override
  public ContinuousTrainingResult run(ContinuousTrainingRequest request) {
    return pipeline.execute(
        request, r -> pipeline.finish(Outcome.REJECTED, "hello from the class path, " + r.model()));
  }
}
