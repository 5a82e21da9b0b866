package dev.perennial.workflows.drift;

/**
 * How a monitor ended: it runs until a {@code stop} signal.
 *
 * @param model model name
 * @param state what it measured and started
 * @param reason the stop signal's reason
 */
public record DriftMonitorResult(String model, DriftMonitorState state, String reason) {}
