package dev.perennial.workflows.training;

import dev.perennial.workflows.ObjectRef;

/**
 * The artifacts of one training run, all in S3.
 *
 * @param model the serialized model bundle (encoder + Smile model)
 * @param hyperparameters the properties file the model was trained with
 * @param featureSchema the feature schema the model expects
 * @param referenceProfile per-feature quantiles, histograms and category frequencies of the
 *     training rows, the reference for drift detection
 * @param trainingRows rows trained on
 * @param validationMetrics metrics on the seeded validation split of the training rows
 * @param codeVersion version of the code that trained it
 * @param trainedBy identity of the worker that trained it ({@code pid@host} unless the worker is
 *     given another); null in histories and registry entries written before it was recorded, so it
 *     is the last component and optional
 */
public record TrainedModel(
    ObjectRef model,
    ObjectRef hyperparameters,
    ObjectRef featureSchema,
    ObjectRef referenceProfile,
    long trainingRows,
    ModelMetrics validationMetrics,
    String codeVersion,
    String trainedBy) {

  /** Without the worker's identity, as trainers and services outside a worker make it. */
  public TrainedModel(
      ObjectRef model,
      ObjectRef hyperparameters,
      ObjectRef featureSchema,
      ObjectRef referenceProfile,
      long trainingRows,
      ModelMetrics validationMetrics,
      String codeVersion) {
    this(
        model,
        hyperparameters,
        featureSchema,
        referenceProfile,
        trainingRows,
        validationMetrics,
        codeVersion,
        null);
  }

  /** The same model, trained by the worker {@code identity}. */
  public TrainedModel trainedBy(String identity) {
    return new TrainedModel(
        model,
        hyperparameters,
        featureSchema,
        referenceProfile,
        trainingRows,
        validationMetrics,
        codeVersion,
        identity);
  }
}
