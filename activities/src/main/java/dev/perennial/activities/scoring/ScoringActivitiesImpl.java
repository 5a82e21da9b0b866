package dev.perennial.activities.scoring;

import dev.perennial.activities.Refusals;
import dev.perennial.core.scoring.BatchScorer;
import dev.perennial.workflows.ObjectRef;
import dev.perennial.workflows.scoring.BatchScoringRequest;
import dev.perennial.workflows.scoring.ChunkResult;
import dev.perennial.workflows.scoring.ScoringActivities;
import dev.perennial.workflows.scoring.ScoringChunk;
import dev.perennial.workflows.scoring.ScoringPlan;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;

/**
 * Batch scoring activities: a thin adapter over {@link BatchScorer}. Progress (the object being
 * hashed, the row a chunk reached) goes out as heartbeat details; the SDK throttles them, and a
 * cancelled activity learns of it at its next heartbeat.
 */
public final class ScoringActivitiesImpl implements ScoringActivities {
  private final BatchScorer scorer;

  public ScoringActivitiesImpl(BatchScorer scorer) {
    this.scorer = scorer;
  }

  @Override
  public ScoringPlan plan(BatchScoringRequest request) {
    BatchScorer.Progress progress = heartbeats();
    return Refusals.asFailures(() -> scorer.plan(request, progress));
  }

  @Override
  public ChunkResult scoreChunk(ScoringChunk chunk) {
    BatchScorer.Progress progress = heartbeats();
    return Refusals.asFailures(() -> scorer.scoreChunk(chunk, progress));
  }

  @Override
  public ObjectRef writeManifest(ScoringPlan plan) {
    return Refusals.asFailures(() -> scorer.writeManifest(plan));
  }

  private static BatchScorer.Progress heartbeats() {
    ActivityExecutionContext context = Activity.getExecutionContext();
    return context::heartbeat;
  }
}
