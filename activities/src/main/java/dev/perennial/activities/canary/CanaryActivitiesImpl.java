package dev.perennial.activities.canary;

import dev.perennial.activities.Refusals;
import dev.perennial.workflows.FailureTypes;
import dev.perennial.workflows.canary.AnalysisWindow;
import dev.perennial.workflows.canary.CanaryActivities;
import dev.perennial.workflows.canary.CanaryAnalysis;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;

/**
 * {@link CanaryActivities} over {@link CanaryAnalyzer}. A scan can cover days of logs, so it
 * heartbeats the number of objects read after each one: a dead worker is noticed within the
 * heartbeat timeout and the UI shows how far the scan got. A malformed window becomes a
 * non-retryable {@link FailureTypes#INVALID_REQUEST}; S3 trouble propagates for Temporal to retry,
 * which is safe because the analysis only reads.
 */
public final class CanaryActivitiesImpl implements CanaryActivities {
  private final CanaryAnalyzer analyzer;

  public CanaryActivitiesImpl(CanaryAnalyzer analyzer) {
    this.analyzer = analyzer;
  }

  @Override
  public CanaryAnalysis analyse(AnalysisWindow window) {
    ActivityExecutionContext context = Activity.getExecutionContext();
    // The SDK throttles heartbeats, so one per object costs little; a cancelled activity's
    // heartbeat throws, which ends the scan.
    return Refusals.asFailures(
        () -> analyzer.scan(window, objectsRead -> context.heartbeat(objectsRead)).analysis());
  }
}
