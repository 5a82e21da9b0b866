package dev.perennial.workflows.canary;

/**
 * The slice of the prediction log a canary step is judged on.
 *
 * @param model model name
 * @param champion the champion's version
 * @param canary the canary's version
 * @param from ISO-8601 instant, inclusive: predictions logged at or after it count
 * @param to ISO-8601 instant, exclusive
 */
public record AnalysisWindow(String model, int champion, int canary, String from, String to) {}
