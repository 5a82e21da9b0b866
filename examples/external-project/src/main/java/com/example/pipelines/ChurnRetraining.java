package com.example.pipelines;

import static dev.perennial.workflows.gate.GateRule.atLeast;
import static dev.perennial.workflows.gate.GateRule.noWorseThanChampion;

import com.example.trainers.BinnedBayesTrainer;
import dev.perennial.workflows.gate.ValidationGate;
import dev.perennial.workflows.pipeline.ContinuousTrainingRequest;
import dev.perennial.workflows.pipeline.ContinuousTrainingResult;
import dev.perennial.workflows.pipeline.PerennialPipeline;
import dev.perennial.workflows.pipeline.PipelineWorkflow;
import dev.perennial.workflows.training.Hyperparameters;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Our churn data ({@code perennial data put --model churn --from data/churn}) trained with our own
 * trainer ({@link BinnedBayesTrainer}); a candidate at least as good as the champion on AUC, within
 * 0.01, is promoted at once: the model is cheap and retrained daily.
 */
@WorkflowInterface
public interface ChurnRetraining extends PerennialPipeline {
  @WorkflowMethod(name = "ChurnRetraining")
  ContinuousTrainingResult run(ContinuousTrainingRequest request);

  /** What the worker runs. */
  class Impl extends PipelineWorkflow implements ChurnRetraining {
    static final Hyperparameters BAYES =
        Hyperparameters.of(BinnedBayesTrainer.NAME).with("bins", 12);
    static final ValidationGate GATE =
        ValidationGate.of(atLeast("auc", 0.70), noWorseThanChampion("auc", 0.01));

    @Override
    public ContinuousTrainingResult run(ContinuousTrainingRequest request) {
      return pipeline.execute(
          request,
          r -> {
            pipeline.evaluate(pipeline.train(pipeline.snapshot(), BAYES));
            if (!pipeline.gate(GATE).passed()) {
              return pipeline.rejected();
            }
            return pipeline.promote("our binned Bayes passed the churn gate");
          });
    }
  }
}
