package dev.perennial.workflows.drift;

import java.util.List;

/**
 * What a monitor carries from one run to the next when it continues as new.
 *
 * @param checks measurements made since the monitor started
 * @param recent the latest checks, newest last, at most the policy's {@code keepReports}
 * @param retrainings retraining runs started since the monitor started
 * @param lastRetrainingAt when the latest one started, ISO-8601, null before the first
 * @param lastRetrainingRun its workflow id and run id, "id/run"
 */
public record DriftMonitorState(
    long checks,
    List<DriftCheck> recent,
    long retrainings,
    String lastRetrainingAt,
    String lastRetrainingRun) {

  /** A new monitor's state. */
  public static DriftMonitorState initial() {
    return new DriftMonitorState(0, List.of(), 0, null, null);
  }
}
