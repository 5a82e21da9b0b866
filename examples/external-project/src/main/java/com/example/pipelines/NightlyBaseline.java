package com.example.pipelines;

import dev.perennial.workflows.pipeline.ContinuousTrainingRequest;
import dev.perennial.workflows.pipeline.ContinuousTrainingResult;
import dev.perennial.workflows.pipeline.PerennialPipeline;
import dev.perennial.workflows.pipeline.PipelineWorkflow;
import dev.perennial.workflows.training.Hyperparameters;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * A logistic-regression baseline, retrained every night by a Schedule ({@code perennial schedule
 * create --workflow-type NightlyBaseline --cron "0 3 * * *" --model M}): a candidate that passes
 * the request's gate becomes challenger, never champion, so the model's real pipeline always has a
 * simple model to be compared with.
 */
@WorkflowInterface
public interface NightlyBaseline extends PerennialPipeline {
  @WorkflowMethod(name = "NightlyBaseline")
  ContinuousTrainingResult run(ContinuousTrainingRequest request);

  /** What the worker runs. */
  class Impl extends PipelineWorkflow implements NightlyBaseline {
    static final Hyperparameters LOGISTIC = Hyperparameters.of("LOGISTIC_REGRESSION");

    @Override
    public ContinuousTrainingResult run(ContinuousTrainingRequest request) {
      return pipeline.execute(
          request,
          r -> {
            pipeline.evaluate(pipeline.train(pipeline.snapshot(), LOGISTIC));
            if (!pipeline.gate().passed()) {
              return pipeline.rejected();
            }
            return pipeline.challenger("nightly logistic baseline");
          });
    }
  }
}
