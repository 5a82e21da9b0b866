package dev.perennial.workflows.training;

import dev.perennial.workflows.ObjectRef;

/**
 * Candidate and champion scored on the same held-out rows.
 *
 * @param candidate the candidate's metrics
 * @param champion the champion's metrics, null without a champion
 * @param report the JSON evaluation report in S3
 */
public record Evaluation(ModelMetrics candidate, ModelMetrics champion, ObjectRef report) {}
