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
 */
public record TrainedModel(
    ObjectRef model,
    ObjectRef hyperparameters,
    ObjectRef featureSchema,
    ObjectRef referenceProfile,
    long trainingRows,
    ModelMetrics validationMetrics,
    String codeVersion) {}
