package dev.perennial.workflows.watch;

import dev.perennial.workflows.Durations;
import java.time.Instant;

/**
 * The policy's decision on one listing, a pure function of it: start a retraining, or why not yet.
 *
 * @param start whether a retraining is due
 * @param reason why (for a start, the note it is started with), in words for the status
 * @param until when a start held back by {@code minInterval} becomes due; else null
 */
record NewData(boolean start, String reason, Instant until) {

  /**
   * Decides on {@code listing} (new = dated after the last partition acted on) at {@code now}, the
   * latest start having been at {@code lastStart} (null before the first).
   */
  static NewData decide(
      DataWatchPolicy policy, PartitionListing listing, String lastStart, Instant now) {
    int n = listing.newer();
    if (n == 0) {
      return new NewData(false, "no new partitions", null);
    }
    int needed = policy.minNewPartitions();
    if (n < needed) {
      return new NewData(
          false,
          "waiting for " + (needed - n) + " more new partitions (" + n + " of " + needed + ")",
          null);
    }
    if (lastStart != null) {
      Instant until = Instant.parse(lastStart).plus(policy.spacing());
      if (now.isBefore(until)) {
        return new NewData(
            false,
            "at most one start per "
                + Durations.format(policy.spacing())
                + ": next from "
                + until
                + " ("
                + n
                + " new partitions wait)",
            until);
      }
    }
    return new NewData(
        true, n + " new " + (n == 1 ? "partition" : "partitions") + days(listing), null);
  }

  /** {@code (2026-03-06)} or {@code (2026-03-06 to 2026-03-08)}. */
  private static String days(PartitionListing l) {
    if (l.newest().isEmpty()) {
      return "";
    }
    String first = l.newest().get(0);
    String last = l.newest().get(l.newest().size() - 1);
    String range = first.equals(last) ? first : first + " to " + last;
    return " (" + (l.newer() > l.newest().size() ? "…, " : "") + range + ")";
  }
}
