package dev.perennial.activities.drift;

import dev.perennial.activities.Refusals;
import dev.perennial.workflows.FailureTypes;
import dev.perennial.workflows.drift.DriftActivities;
import dev.perennial.workflows.drift.DriftReport;
import dev.perennial.workflows.drift.DriftWindow;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;

/**
 * {@link DriftActivities} over {@link DriftAnalyzer}, publishing each report to {@link
 * DriftGauges}. A window can span days of logs, so the scan heartbeats the number of objects read
 * after each one. A malformed window becomes a non-retryable {@link FailureTypes#INVALID_REQUEST};
 * S3 trouble propagates for Temporal to retry, which is safe: a retry reads the same logs and
 * overwrites the same report objects.
 */
public final class DriftActivitiesImpl implements DriftActivities {
  private final DriftAnalyzer analyzer;
  private final DriftGauges gauges;

  public DriftActivitiesImpl(DriftAnalyzer analyzer, DriftGauges gauges) {
    this.analyzer = analyzer;
    this.gauges = gauges;
  }

  @Override
  public DriftReport measure(DriftWindow window) {
    ActivityExecutionContext context = Activity.getExecutionContext();
    DriftReport report =
        Refusals.asFailures(
            () -> analyzer.measure(window, objectsRead -> context.heartbeat(objectsRead)));
    gauges.record(report);
    return report;
  }
}
