package dev.perennial.workflows.drift;

/**
 * What the {@code status} query answers.
 *
 * @param model model name
 * @param policy the policy in force, defaults filled in
 * @param phase what the monitor is doing
 * @param nextCheckAt when the next measurement is due, ISO-8601
 * @param state checks, recent reports and retrainings so far
 * @param message one line for people
 */
public record DriftMonitorStatus(
    String model,
    DriftPolicy policy,
    DriftPhase phase,
    String nextCheckAt,
    DriftMonitorState state,
    String message) {}
