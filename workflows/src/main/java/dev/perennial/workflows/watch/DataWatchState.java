package dev.perennial.workflows.watch;

import java.util.List;

/**
 * What a data watch knows, carried from one run to the next when it continues as new.
 *
 * @param checks listings made since the watch started
 * @param lastActedOn the newest partition the latest retraining start covered, ISO date; before the
 *     first start, the watch's baseline (its {@code since}, or the newest partition at its first
 *     check); null when every partition counts as new
 * @param latest the newest partition at the latest check, null when there was none
 * @param pending how many partitions dated after {@code lastActedOn} the latest check found
 * @param pendingDays the newest of them, oldest first (at most {@link PartitionListing#MAX_NAMED})
 * @param retrainings retraining runs the watch started
 * @param lastRetrainingAt when the latest one started, ISO-8601, null before the first
 * @param lastRetrainingRun its workflow id and run id, "id/run"
 * @param lastCheckAt when the latest check listed, ISO-8601
 * @param lastAction what it did: "no new partitions", "started retraining ...", "retraining already
 *     running: ...", "waiting for 2 more new partitions (1 of 3)", "at most one start per 1d: next
 *     from ...", or "listing failed: ..."
 */
public record DataWatchState(
    long checks,
    String lastActedOn,
    String latest,
    int pending,
    List<String> pendingDays,
    long retrainings,
    String lastRetrainingAt,
    String lastRetrainingRun,
    String lastCheckAt,
    String lastAction) {

  /** A new watch's state: partitions dated after {@code since} (null: all) count as new. */
  public static DataWatchState initial(String since) {
    return new DataWatchState(0, since, null, 0, List.of(), 0, null, null, null, null);
  }

  /** This state after a check at {@code at} found {@code listing} and did {@code action}. */
  DataWatchState withCheck(String at, PartitionListing listing, String action) {
    return new DataWatchState(
        checks + 1,
        lastActedOn,
        listing.latest(),
        listing.newer(),
        listing.newest(),
        retrainings,
        lastRetrainingAt,
        lastRetrainingRun,
        at,
        action);
  }

  /** This state after a check at {@code at} that could not list, saying {@code why}. */
  DataWatchState withFailedCheck(String at, String why) {
    return new DataWatchState(
        checks + 1,
        lastActedOn,
        latest,
        pending,
        pendingDays,
        retrainings,
        lastRetrainingAt,
        lastRetrainingRun,
        at,
        why);
  }

  /** This state with {@code day} as the partition acted on (a baseline or a start covered it). */
  DataWatchState actedOn(String day) {
    return new DataWatchState(
        checks,
        day,
        latest,
        pending,
        pendingDays,
        retrainings,
        lastRetrainingAt,
        lastRetrainingRun,
        lastCheckAt,
        lastAction);
  }

  /** This state after starting retraining {@code run} ("id/run") at {@code at}. */
  DataWatchState withRetraining(String at, String run) {
    return new DataWatchState(
        checks,
        lastActedOn,
        latest,
        pending,
        pendingDays,
        retrainings + 1,
        at,
        run,
        lastCheckAt,
        lastAction);
  }
}
