package dev.perennial.worker.userapp;

import dev.perennial.workflows.TaskQueues;
import dev.perennial.workflows.pipeline.ContinuousTrainingRequest;
import dev.perennial.workflows.pipeline.ContinuousTrainingResult;
import dev.perennial.workflows.pipeline.Outcome;
import dev.perennial.workflows.pipeline.PipelineWorkflow;
import io.temporal.spring.boot.WorkflowImpl;

/**
 * Found by {@code spring.temporal.workers-auto-discovery.workflow-packages} in the user app, and
 * declared in the services file too.
 */
@WorkflowImpl(taskQueues = TaskQueues.PIPELINES)
public class ScannedPipelineImpl extends PipelineWorkflow implements ScannedPipeline {
  @Override
  public ContinuousTrainingResult run(ContinuousTrainingRequest request) {
    return pipeline.execute(
        request, r -> pipeline.finish(Outcome.REJECTED, "hello from auto-discovery, " + r.model()));
  }
}
