package dev.perennial.workflows.drift;

import dev.perennial.workflows.Durations;
import java.time.Duration;
import java.util.ArrayList;
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

  /** This state with {@code check} recorded, keeping the newest {@code keep} checks. */
  public DriftMonitorState withCheck(DriftCheck check, int keep) {
    List<DriftCheck> all = new ArrayList<>(recent);
    all.add(check);
    return new DriftMonitorState(checks + 1, all, retrainings, lastRetrainingAt, lastRetrainingRun)
        .trimmed(keep);
  }

  /** This state with at most the newest {@code keep} recent checks. */
  public DriftMonitorState trimmed(int keep) {
    List<DriftCheck> r = recent == null ? List.of() : recent;
    if (r.size() > keep) {
      r = r.subList(r.size() - keep, r.size());
    }
    return new DriftMonitorState(
        checks, List.copyOf(r), retrainings, lastRetrainingAt, lastRetrainingRun);
  }

  /** This state after starting retraining {@code run} ("id/run") at {@code at}. */
  public DriftMonitorState withRetraining(String at, String run) {
    return new DriftMonitorState(checks, recent, retrainings + 1, at, run);
  }

  /** The latest check, null before the first. */
  public DriftCheck last() {
    return recent == null || recent.isEmpty() ? null : recent.get(recent.size() - 1);
  }

  /**
   * What the latest check found, for a status line: {@code ; last check at <at>: DRIFT, started
   * retraining ...}, or that none was made yet on a monitor measuring {@code every} interval.
   */
  public String lastCheckSummary(Duration every) {
    DriftCheck last = last();
    if (last == null) {
      return "; every " + Durations.format(every) + ", no check yet";
    }
    return "; last check at "
        + last.at()
        + ": "
        + (last.verdict() == null ? "no verdict" : last.verdict())
        + ", "
        + last.action();
  }
}
