package dev.perennial.workflows.scoring;

import dev.perennial.workflows.ObjectRef;

/**
 * Input of {@link ScoringActivities#scoreChunk}: chunk {@code index} (from 0) of the plan.
 *
 * @param plan the plan object {@link ScoringActivities#plan} wrote
 * @param index which chunk
 */
public record ScoringChunk(ObjectRef plan, int index) {}
