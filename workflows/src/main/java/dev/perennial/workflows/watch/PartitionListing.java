package dev.perennial.workflows.watch;

import java.util.List;

/**
 * What a listing found: counts and day names, small enough for history however much data lies under
 * the prefix.
 *
 * @param partitions daily partitions under the prefix
 * @param latest the newest partition's day, ISO date; null when there is none
 * @param newer how many partitions are dated after the query's {@code after}
 * @param newest the newest of those, oldest first, at most {@link #MAX_NAMED}
 */
public record PartitionListing(int partitions, String latest, int newer, List<String> newest) {
  /** How many new days a listing names at most. */
  public static final int MAX_NAMED = 31;

  /** The listing of {@code days} (sorted, distinct ISO dates) for a query from {@code after}. */
  public static PartitionListing of(List<String> days, String after) {
    List<String> newer =
        days.stream().filter(d -> after == null || d.compareTo(after) > 0).toList();
    return new PartitionListing(
        days.size(),
        days.isEmpty() ? null : days.get(days.size() - 1),
        newer.size(),
        List.copyOf(newer.subList(Math.max(0, newer.size() - MAX_NAMED), newer.size())));
  }
}
