package dev.perennial.starter.ops;

import static dev.perennial.workflows.gate.GateRule.atLeast;
import static dev.perennial.workflows.gate.GateRule.beatsChampion;

import dev.perennial.workflows.approval.Approvable;
import dev.perennial.workflows.gate.ValidationGate;
import dev.perennial.workflows.pipeline.ContinuousTrainingRequest;
import dev.perennial.workflows.pipeline.ContinuousTrainingResult;
import dev.perennial.workflows.pipeline.PerennialPipeline;
import dev.perennial.workflows.pipeline.PipelineWorkflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Duration;

/** A pipeline of one's own as a user writes it: promoted only when a person approves. */
@WorkflowInterface
public interface ApprovedForest extends PerennialPipeline, Approvable {
  String TYPE = "ApprovedForest";

  @WorkflowMethod(name = TYPE)
  ContinuousTrainingResult run(ContinuousTrainingRequest request);

  /** Trains, gates on AUC, then waits up to two days for approve or reject. */
  class Impl extends PipelineWorkflow implements ApprovedForest {
    @Override
    public ContinuousTrainingResult run(ContinuousTrainingRequest request) {
      return pipeline.execute(
          request,
          r -> {
            pipeline.evaluate(pipeline.train(pipeline.snapshot()));
            if (!pipeline
                .gate(ValidationGate.of(atLeast("auc", 0.7), beatsChampion("auc", 0.005)))
                .passed()) {
              return pipeline.rejected();
            }
            return pipeline.promoteIfApproved(Duration.ofDays(2));
          });
    }
  }
}
