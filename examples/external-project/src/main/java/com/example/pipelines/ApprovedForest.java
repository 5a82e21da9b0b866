package com.example.pipelines;

import static dev.perennial.workflows.gate.GateRule.atLeast;
import static dev.perennial.workflows.gate.GateRule.beatsChampion;
import static dev.perennial.workflows.gate.GateRule.noWorseThanChampion;

import dev.perennial.workflows.approval.Approvable;
import dev.perennial.workflows.gate.ValidationGate;
import dev.perennial.workflows.pipeline.ContinuousTrainingRequest;
import dev.perennial.workflows.pipeline.ContinuousTrainingResult;
import dev.perennial.workflows.pipeline.PerennialPipeline;
import dev.perennial.workflows.pipeline.PipelineWorkflow;
import dev.perennial.workflows.training.Hyperparameters;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Duration;

/**
 * A random forest behind a strict gate (AUC must beat the champion's by 0.005, log loss no worse),
 * registered, then promoted only when a person approves within two days; otherwise it stays
 * challenger. Approve with {@code perennial approve --model M --by NAME}.
 */
@WorkflowInterface
public interface ApprovedForest extends PerennialPipeline, Approvable {
  @WorkflowMethod(name = "ApprovedForest")
  ContinuousTrainingResult run(ContinuousTrainingRequest request);

  /** What the worker runs. */
  class Impl extends PipelineWorkflow implements ApprovedForest {
    static final ValidationGate STRICT =
        ValidationGate.of(
            atLeast("auc", 0.70), beatsChampion("auc", 0.005), noWorseThanChampion("logLoss"));
    static final Hyperparameters FOREST =
        Hyperparameters.of("RANDOM_FOREST").with("trees", 300).with("maxDepth", 12);

    @Override
    public ContinuousTrainingResult run(ContinuousTrainingRequest request) {
      return pipeline.execute(
          request,
          r -> {
            pipeline.evaluate(pipeline.train(pipeline.snapshot(), FOREST));
            if (!pipeline.gate(STRICT).passed()) {
              return pipeline.rejected();
            }
            return pipeline.promoteIfApproved(Duration.ofDays(2));
          });
    }
  }
}
