package dev.perennial.workflows.drift;

/**
 * The slice of served traffic one drift measurement covers.
 *
 * @param model model name
 * @param from ISO-8601 instant, inclusive: rows logged at or after it count
 * @param to ISO-8601 instant, exclusive; also names the report, so a retried measurement of the
 *     same window writes the same objects
 * @param policy the defaulted policy the window is judged by
 */
public record DriftWindow(String model, String from, String to, DriftPolicy policy) {}
