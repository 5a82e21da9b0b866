package dev.perennial.worker.testpipeline;

import dev.perennial.workflows.pipeline.ContinuousTrainingRequest;
import dev.perennial.workflows.pipeline.ContinuousTrainingResult;
import dev.perennial.workflows.pipeline.PerennialPipeline;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** A user's pipeline on the test class path, declared in the test resources' services file. */
@WorkflowInterface
public interface GreetingPipeline extends PerennialPipeline {
  String TYPE = "GreetingPipeline";

  @WorkflowMethod(name = TYPE)
  ContinuousTrainingResult run(ContinuousTrainingRequest request);
}
