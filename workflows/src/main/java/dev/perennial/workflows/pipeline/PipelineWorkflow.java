package dev.perennial.workflows.pipeline;

import dev.perennial.workflows.approval.Approvable;
import dev.perennial.workflows.approval.ApprovalDecision;
import dev.perennial.workflows.approval.ApprovalRequest;

/**
 * A base for pipeline implementations: holds the run's {@link PipelineRun} as {@link #pipeline} and
 * answers the {@link PerennialPipeline} and {@link Approvable} messages from it, so a pipeline
 * class only writes its workflow method:
 *
 * <pre>{@code
 * public class NightlyBaselineImpl extends PipelineWorkflow implements NightlyBaseline {
 *   public ContinuousTrainingResult run(ContinuousTrainingRequest request) {
 *     return pipeline.execute(request, r -> {
 *       pipeline.evaluate(pipeline.train(pipeline.snapshot()));
 *       if (!pipeline.gate().passed()) {
 *         return pipeline.rejected();
 *       }
 *       return pipeline.challenger("nightly baseline");
 *     });
 *   }
 * }
 * }</pre>
 *
 * <p>Approval updates are accepted only while the pipeline waits in {@link
 * PipelineRun#awaitApproval}, and only when its workflow interface extends {@link Approvable}.
 */
public abstract class PipelineWorkflow implements PerennialPipeline, Approvable {
  /** This run's building blocks and bookkeeping. */
  protected final PipelineRun pipeline = new PipelineRun();

  @Override
  public PipelineStatus status() {
    return pipeline.status();
  }

  @Override
  public void abort(String reason) {
    pipeline.abort(reason);
  }

  @Override
  public ApprovalDecision approve(ApprovalRequest request) {
    return pipeline.approval().approve(request);
  }

  @Override
  public void validateApprove(ApprovalRequest request) {
    pipeline.validateApproval(request);
  }

  @Override
  public ApprovalDecision reject(ApprovalRequest request) {
    return pipeline.approval().reject(request);
  }

  @Override
  public void validateReject(ApprovalRequest request) {
    pipeline.validateApproval(request);
  }
}
