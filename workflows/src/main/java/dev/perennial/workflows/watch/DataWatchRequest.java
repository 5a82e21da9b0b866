package dev.perennial.workflows.watch;

import dev.perennial.workflows.RequestProblems;
import dev.perennial.workflows.canary.CanaryRolloutWorkflow;
import dev.perennial.workflows.dataset.DatasetSpec;
import dev.perennial.workflows.drift.DriftMonitorWorkflow;
import dev.perennial.workflows.pipeline.ContinuousTrainingRequest;
import dev.perennial.workflows.pipeline.ContinuousTrainingWorkflow;
import dev.perennial.workflows.pipeline.PerennialPipeline;
import dev.perennial.workflows.rollback.RollbackWorkflow;
import dev.perennial.workflows.scoring.BatchScoringWorkflow;
import java.util.ArrayList;
import java.util.List;

/**
 * Input of the {@code DataWatch} workflow. Only {@code model} is required: {@code
 * {"model":"credit-default"}} from the Temporal UI lists {@code
 * s3://perennial-data/credit-default/} every 15 minutes and retrains once per new day, the days
 * already there being the baseline.
 *
 * @param model model name
 * @param bucket data bucket (default {@code perennial-data})
 * @param prefix the prefix holding {@code dt=YYYY-MM-DD/} partitions (default {@code <model>/})
 * @param since ISO date: partitions dated after it count as new at the first check (default: none
 *     of those there at the first check do)
 * @param policy how often to look and when new partitions start a retraining ({@link
 *     DataWatchPolicy})
 * @param retraining the request a retraining starts with (default: the model's defaults); the watch
 *     sets its model, trigger DATA, the watched bucket and prefix where its dataset names none, and
 *     a note naming the new days
 * @param workflowType the pipeline to start (default {@code ContinuousTraining}): any workflow type
 *     on Perennial's pipeline task queue that takes a {@link ContinuousTrainingRequest}; its run
 *     gets the id {@link PerennialPipeline#workflowId}
 * @param carried state handed over when the watch continues as new; leave it out
 */
public record DataWatchRequest(
    String model,
    String bucket,
    String prefix,
    String since,
    DataWatchPolicy policy,
    ContinuousTrainingRequest retraining,
    String workflowType,
    DataWatchState carried) {

  /** Workflow types that are no pipeline, so the watch cannot start them. */
  static final List<String> NOT_PIPELINES =
      List.of(
          DataWatchWorkflow.TYPE,
          DriftMonitorWorkflow.TYPE,
          CanaryRolloutWorkflow.TYPE,
          RollbackWorkflow.TYPE,
          BatchScoringWorkflow.TYPE);

  /** A watch of {@code model}'s default data with every default. */
  public static DataWatchRequest of(String model) {
    return new DataWatchRequest(model, null, null, null, null, null, null, null);
  }

  /** The watched bucket: {@link #bucket}, else {@code perennial-data}. */
  public String bucketOrDefault() {
    return bucket == null || bucket.isBlank() ? DatasetSpec.DEFAULT_BUCKET : bucket.strip();
  }

  /** The watched prefix, ending in '/': {@link #prefix}, else {@code <model>/}. */
  public String prefixOrDefault() {
    String p = prefix == null || prefix.isBlank() ? model + "/" : prefix.strip();
    return p.endsWith("/") ? p : p + "/";
  }

  /** The pipeline to start: {@link #workflowType}, else {@code ContinuousTraining}. */
  public String pipelineType() {
    return workflowType == null || workflowType.isBlank()
        ? ContinuousTrainingWorkflow.TYPE
        : workflowType.strip();
  }

  /** The policy in force, defaults filled in; call on a validated request. */
  public DataWatchPolicy policyOrDefaults() {
    return policy == null ? DataWatchPolicy.defaults() : policy.withDefaults();
  }

  /** The same request with {@code state} as the state handed over. */
  public DataWatchRequest carrying(DataWatchState state) {
    return new DataWatchRequest(
        model, bucket, prefix, since, policy, retraining, workflowType, state);
  }

  /** Every problem, each naming its field; empty when valid. */
  public List<String> problems() {
    RequestProblems p = new RequestProblems().name("model", model);
    p.require(
        prefix == null || !prefix.strip().startsWith("/"),
        "prefix",
        "must not start with '/': write it as the object keys begin, e.g. churn/");
    p.isoDate("since", since);
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
        // The watch fills in the model, so "model: required" of the nested request is no fault.
        if (!problem.startsWith("model:")) {
          nested.add("retraining." + problem);
        }
      }
    }
    return p.addAll(nested).list();
  }
}
