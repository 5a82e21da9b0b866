package dev.perennial.workflows.pipeline;

import dev.perennial.workflows.RequestProblems;
import dev.perennial.workflows.Trigger;
import dev.perennial.workflows.dataset.DatasetSpec;
import dev.perennial.workflows.dataset.ValidationRules;
import dev.perennial.workflows.gate.GatePolicy;
import dev.perennial.workflows.training.Hyperparameters;
import java.util.ArrayList;
import java.util.List;

/**
 * Input of the {@code ContinuousTraining} workflow. Only {@code model} is required: {@code
 * {"model":"credit-default"}} from the Temporal UI trains on the model's default dataset with
 * default hyperparameters, rules and gate.
 *
 * @param model model name (lower-case letters, digits, '-')
 * @param trigger why the run starts (default MANUAL)
 * @param dataset which data (default: the latest 30 daily partitions under {@code <model>/} in
 *     {@code perennial-data})
 * @param hyperparameters how to train (default gradient boosting)
 * @param validation hard data rules
 * @param gate when the candidate may replace the champion
 * @param holdoutDays latest partitions kept back for evaluation (default 2)
 * @param promoteOnPass make a passing candidate champion at once instead of challenger (default
 *     false; a model's first version is always promoted when it passes)
 * @param note free text recorded with the run, e.g. what triggered it
 */
public record ContinuousTrainingRequest(
    String model,
    Trigger trigger,
    DatasetSpec dataset,
    Hyperparameters hyperparameters,
    ValidationRules validation,
    GatePolicy gate,
    Integer holdoutDays,
    Boolean promoteOnPass,
    String note) {

  public static final int DEFAULT_HOLDOUT_DAYS = 2;

  /** A request for {@code model} with every default. */
  public static ContinuousTrainingRequest of(String model) {
    return new ContinuousTrainingRequest(model, null, null, null, null, null, null, null, null);
  }

  /** Same request with every unset field at its default. */
  public ContinuousTrainingRequest withDefaults() {
    return new ContinuousTrainingRequest(
        model,
        trigger == null ? Trigger.MANUAL : trigger,
        (dataset == null ? DatasetSpec.forModel(model) : dataset.withDefaults(model)),
        hyperparameters == null ? Hyperparameters.defaults() : hyperparameters.withDefaults(),
        validation == null ? ValidationRules.defaults() : validation.withDefaults(),
        gate == null ? GatePolicy.defaults() : gate.withDefaults(),
        holdoutDays == null ? DEFAULT_HOLDOUT_DAYS : holdoutDays,
        promoteOnPass != null && promoteOnPass,
        note);
  }

  /** Every problem of this request, each naming its field; empty when it is valid. */
  public List<String> problems() {
    RequestProblems p = new RequestProblems().name("model", model);
    p.range("holdoutDays", holdoutDays, 1, 365);
    List<String> nested = new ArrayList<>();
    if (dataset != null) {
      nested.addAll(dataset.problems("dataset"));
    }
    if (hyperparameters != null) {
      nested.addAll(hyperparameters.problems("hyperparameters"));
    }
    if (validation != null) {
      nested.addAll(validation.problems("validation"));
    }
    if (gate != null) {
      nested.addAll(gate.problems("gate"));
    }
    return p.addAll(nested).list();
  }
}
