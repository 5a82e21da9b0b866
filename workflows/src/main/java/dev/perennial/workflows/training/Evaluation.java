package dev.perennial.workflows.training;

import dev.perennial.workflows.ObjectRef;

/**
 * Candidate and champion scored on the same held-out rows.
 *
 * @param candidate the candidate's metrics
 * @param champion the champion's metrics, null without a champion
 * @param report the JSON evaluation report in S3
 * @param html the same evaluation as a page for people (ROC curves, confusion matrices, metrics vs
 *     champion) beside the JSON report; null in histories and registry entries written before it
 *     existed, so it is the last component and optional
 */
public record Evaluation(
    ModelMetrics candidate, ModelMetrics champion, ObjectRef report, ObjectRef html) {}
