package dev.perennial.workflows.search;

import dev.perennial.workflows.training.Hyperparameters;
import dev.perennial.workflows.training.TrainedModel;

/**
 * One trial of a {@link HyperparameterSearch}.
 *
 * @param number 1, 2, 3, ... in plan order; a tie on the score goes to the lower number
 * @param hyperparameters what it trained with, defaults applied
 * @param state where it is
 * @param score the search metric on its validation split, once trained
 * @param trained its artifacts (under {@code runs/<model>/<run-id>/trial-NN/}), validation metrics
 *     and the worker that trained it, once trained
 * @param failure why it failed, if it did
 */
public record Trial(
    int number,
    Hyperparameters hyperparameters,
    TrialState state,
    Double score,
    TrainedModel trained,
    String failure) {

  static Trial pending(int number, Hyperparameters hyperparameters) {
    return new Trial(number, hyperparameters, TrialState.PENDING, null, null, null);
  }

  Trial running() {
    return new Trial(number, hyperparameters, TrialState.RUNNING, null, null, null);
  }

  Trial succeeded(TrainedModel model, String metric) {
    Double s = model.validationMetrics() == null ? null : model.validationMetrics().get(metric);
    return new Trial(number, hyperparameters, TrialState.SUCCEEDED, s, model, null);
  }

  Trial failed(String why) {
    return new Trial(number, hyperparameters, TrialState.FAILED, null, null, why);
  }

  /** The identity of the worker that trained it ({@code pid@host} by default), or null. */
  public String worker() {
    return trained == null ? null : trained.trainedBy();
  }

  /** The run id its artifacts are stored under: the pipeline run's, then {@code /trial-NN}. */
  public static String runId(String pipelineRunId, int number) {
    return pipelineRunId + "/trial-" + (number < 10 ? "0" : "") + number;
  }
}
