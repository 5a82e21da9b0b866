package dev.perennial.workflows.watch;

/**
 * What the {@code status} query answers.
 *
 * @param model model name
 * @param bucket the watched bucket
 * @param prefix the watched prefix
 * @param policy the policy in force, defaults filled in
 * @param phase what the watch is doing
 * @param nextCheckAt when the next listing is due, ISO-8601; null while not waiting
 * @param state last partition acted on, pending new days, retrainings started
 * @param message one line for people
 */
public record DataWatchStatus(
    String model,
    String bucket,
    String prefix,
    DataWatchPolicy policy,
    DataWatchPhase phase,
    String nextCheckAt,
    DataWatchState state,
    String message) {}
