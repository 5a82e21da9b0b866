package dev.perennial.starter.ops;

import io.temporal.api.enums.v1.ScheduleOverlapPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** What {@link Schedules#describe} tells of a schedule. */
public record ScheduleDetails(
    String id,
    String note,
    String timeZone,
    ScheduleOverlapPolicy overlap,
    Duration catchupWindow,
    Duration jitter,
    boolean paused,
    long actions,
    long skippedForOverlap,
    long missedCatchupWindow,
    List<Ran> recent,
    List<Instant> nextRuns) {
  /** One action a schedule took: the run it started (or the action itself) and when. */
  public record Ran(String action, Instant startedAt) {}
}
