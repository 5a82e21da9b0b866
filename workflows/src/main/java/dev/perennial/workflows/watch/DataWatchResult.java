package dev.perennial.workflows.watch;

/**
 * How a data watch ended: it runs until a {@code stop} signal.
 *
 * @param model model name
 * @param state what it saw and started
 * @param reason the stop signal's reason
 */
public record DataWatchResult(String model, DataWatchState state, String reason) {}
