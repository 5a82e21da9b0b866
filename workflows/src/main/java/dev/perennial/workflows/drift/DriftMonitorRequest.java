package dev.perennial.workflows.drift;

import dev.perennial.workflows.RequestProblems;
import dev.perennial.workflows.canary.CanaryRolloutWorkflow;
import dev.perennial.workflows.pipeline.ContinuousTrainingRequest;
import dev.perennial.workflows.pipeline.ContinuousTrainingWorkflow;
import dev.perennial.workflows.pipeline.PerennialPipeline;
import dev.perennial.workflows.rollback.RollbackWorkflow;
import java.util.ArrayList;
import java.util.List;

/**
 * Input of the {@code DriftMonitor} workflow. Only {@code model} is required: {@code
 * {"model":"credit-default"}} from the Temporal UI measures every hour with the default policy.
 *
 * @param model model name
 * @param policy when to measure and what counts as drift (see {@link DriftPolicy})
 * @param retraining the request a breach starts the pipeline with (default: the model's defaults);
 *     the monitor sets its model, trigger DRIFT and the drift report
 * @param carried state handed over when the monitor continues as new; leave it out
 * @param workflowType the pipeline a breach starts (default {@code ContinuousTraining}): any
 *     workflow type on Perennial's pipeline task queue that takes a {@link
 *     ContinuousTrainingRequest}; its run gets the id {@link PerennialPipeline#workflowId}
 */
public record DriftMonitorRequest(
    String model,
    DriftPolicy policy,
    ContinuousTrainingRequest retraining,
    DriftMonitorState carried,
    String workflowType) {

  /** Workflow types that are no pipeline, so a breach cannot start them. */
  static final List<String> NOT_PIPELINES =
      List.of(DriftMonitorWorkflow.TYPE, CanaryRolloutWorkflow.TYPE, RollbackWorkflow.TYPE);

  /** A monitor that retrains with {@code ContinuousTraining}. */
  public DriftMonitorRequest(
      String model,
      DriftPolicy policy,
      ContinuousTrainingRequest retraining,
      DriftMonitorState carried) {
    this(model, policy, retraining, carried, null);
  }

  /** A monitor of {@code model} with every default. */
  public static DriftMonitorRequest of(String model) {
    return new DriftMonitorRequest(model, null, null, null, null);
  }

  /** The pipeline a breach starts: {@link #workflowType}, else {@code ContinuousTraining}. */
  public String pipelineType() {
    return workflowType == null || workflowType.isBlank()
        ? ContinuousTrainingWorkflow.TYPE
        : workflowType.strip();
  }

  /** The same request with {@code carried} as the state handed over. */
  public DriftMonitorRequest carrying(DriftMonitorState state) {
    return new DriftMonitorRequest(model, policy, retraining, state, workflowType);
  }

  /** Every problem, each naming its field; empty when valid. */
  public List<String> problems() {
    RequestProblems p = new RequestProblems().name("model", model);
    List<String> nested = new ArrayList<>();
    if (policy != null) {
      nested.addAll(policy.problems("policy"));
    }
    p.require(
        workflowType == null || !NOT_PIPELINES.contains(workflowType.strip()),
        "workflowType",
        "'"
            + workflowType
            + "' is no pipeline; give a pipeline's workflow type, e.g. "
            + ContinuousTrainingWorkflow.TYPE);
    if (retraining != null) {
      p.require(
          retraining.model() == null || retraining.model().equals(model),
          "retraining.model",
          "must be left out or equal to model '" + model + "'");
      for (String problem : retraining.problems()) {
        // The monitor fills in the model, so "model: required" of the nested request is no fault.
        if (!problem.startsWith("model:")) {
          nested.add("retraining." + problem);
        }
      }
    }
    return p.addAll(nested).list();
  }
}
