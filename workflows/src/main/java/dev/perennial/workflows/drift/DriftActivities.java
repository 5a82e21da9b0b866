package dev.perennial.workflows.drift;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Drift measurement on workers: reads the serving logs, compares, writes the report. */
@ActivityInterface
public interface DriftActivities {

  /**
   * Compares the features served in {@code window} with the champion's reference profile, and its
   * online quality with its evaluation; judges them by the window's policy; writes the report as
   * HTML and JSON under {@code drift/<model>/} in the artifact bucket (same window, same keys);
   * updates the per-feature drift gauges. Heartbeats while it scans.
   */
  @ActivityMethod(name = "MeasureDrift")
  DriftReport measure(DriftWindow window);
}
