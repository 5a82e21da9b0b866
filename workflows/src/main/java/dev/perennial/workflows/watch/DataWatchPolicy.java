package dev.perennial.workflows.watch;

import dev.perennial.workflows.Durations;
import dev.perennial.workflows.RequestProblems;
import java.time.Duration;
import java.util.List;

/**
 * When new partitions start a retraining. Every field is optional; {@link #withDefaults()} fills in
 * the rest. A retraining starts when both hold: at least {@code minNewPartitions} partitions dated
 * after the last one acted on have arrived, and {@code minInterval} has passed since the watch last
 * started one. The defaults retrain on every new day, checked every 15 minutes.
 *
 * @param pollInterval how often the watch lists the prefix: 90s, 15m, 1h, PT1H (default 15m)
 * @param minNewPartitions new daily partitions to wait for before retraining (default 1)
 * @param minInterval at most one retraining start per this period (default 0s: no limit)
 */
public record DataWatchPolicy(String pollInterval, Integer minNewPartitions, String minInterval) {
  static final Duration MIN_POLL = Duration.ofSeconds(1);
  static final Duration MAX_POLL = Duration.ofDays(30);
  static final int MAX_NEW_PARTITIONS = 3660;

  public static DataWatchPolicy defaults() {
    return new DataWatchPolicy(null, null, null).withDefaults();
  }

  public DataWatchPolicy withDefaults() {
    return new DataWatchPolicy(
        pollInterval == null ? "15m" : pollInterval,
        minNewPartitions == null ? 1 : minNewPartitions,
        minInterval == null ? "0s" : minInterval);
  }

  /** The polling interval; call on a validated, defaulted policy. */
  public Duration every() {
    return Durations.parse(pollInterval);
  }

  /** The least time between two starts; call on a validated, defaulted policy. */
  public Duration spacing() {
    return Durations.parse(minInterval);
  }

  /** Every problem, each naming its field under {@code path}; empty when valid. */
  public List<String> problems(String path) {
    RequestProblems p = new RequestProblems();
    p.duration(path + ".pollInterval", pollInterval, MIN_POLL, MAX_POLL);
    p.require(
        minNewPartitions == null
            || (minNewPartitions >= 1 && minNewPartitions <= MAX_NEW_PARTITIONS),
        path + ".minNewPartitions",
        "must be from 1 to "
            + MAX_NEW_PARTITIONS
            + " new daily partitions (got "
            + minNewPartitions
            + ")");
    p.duration(path + ".minInterval", minInterval, Duration.ZERO, Duration.ofDays(365));
    return p.list();
  }
}
