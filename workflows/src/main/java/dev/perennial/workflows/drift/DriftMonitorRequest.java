package dev.perennial.workflows.drift;

import dev.perennial.workflows.RequestProblems;
import dev.perennial.workflows.pipeline.ContinuousTrainingRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * Input of the {@code DriftMonitor} workflow. Only {@code model} is required: {@code
 * {"model":"credit-default"}} from the Temporal UI measures every hour with the default policy.
 *
 * @param model model name
 * @param policy when to measure and what counts as drift (see {@link DriftPolicy})
 * @param retraining the {@code ContinuousTraining} request a breach starts (default: the model's
 *     defaults); the monitor sets its model, trigger DRIFT and the drift report
 * @param carried state handed over when the monitor continues as new; leave it out
 */
public record DriftMonitorRequest(
    String model,
    DriftPolicy policy,
    ContinuousTrainingRequest retraining,
    DriftMonitorState carried) {

  /** A monitor of {@code model} with every default. */
  public static DriftMonitorRequest of(String model) {
    return new DriftMonitorRequest(model, null, null, null);
  }

  /** Every problem, each naming its field; empty when valid. */
  public List<String> problems() {
    RequestProblems p = new RequestProblems().name("model", model);
    List<String> nested = new ArrayList<>();
    if (policy != null) {
      nested.addAll(policy.problems("policy"));
    }
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
