package dev.perennial.workflows.scoring;

import dev.perennial.workflows.ObjectRef;

/**
 * What {@link ScoringActivities#plan} resolved: the version, where the output goes and how many
 * chunks there are. The chunks themselves are in the plan object (history carries its reference
 * only, however many chunks there are).
 *
 * @param model model name
 * @param version the version that scores (the champion's number when none was named)
 * @param modelSha256 SHA-256 of the version's model bundle
 * @param plan the plan object: inputs with their SHA-256 and row counts, and every chunk
 * @param outputPrefix where the predictions go, {@code s3://bucket/<prefix>predictions/v<N>/}
 * @param chunks how many chunks
 * @param inputs how many input objects
 * @param rows rows in all inputs
 */
public record ScoringPlan(
    String model,
    int version,
    String modelSha256,
    ObjectRef plan,
    String outputPrefix,
    int chunks,
    int inputs,
    long rows) {}
