package dev.perennial.starter.ops;

import java.time.Instant;

/** One line of {@link Schedules#list}; {@code nextRun} is null when none is due. */
public record ScheduleSummary(
    String id,
    String model,
    String workflowType,
    boolean paused,
    Instant nextRun,
    int recentRuns) {}
