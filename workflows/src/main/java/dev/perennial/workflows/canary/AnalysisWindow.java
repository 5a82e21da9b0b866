package dev.perennial.workflows.canary;

/**
 * The slice of the prediction log a canary or shadow step is judged on.
 *
 * @param model model name
 * @param champion the champion's version
 * @param canary the candidate's version: the canary, or the shadow
 * @param from ISO-8601 instant, inclusive: predictions logged at or after it count
 * @param to ISO-8601 instant, exclusive
 * @param shadow true when the candidate is a shadow: its lines are those flagged {@code shadow},
 *     and it is compared with the champion row by row on the requests both scored
 */
public record AnalysisWindow(
    String model, int champion, int canary, String from, String to, boolean shadow) {

  /** A canary's window. */
  public AnalysisWindow(String model, int champion, int canary, String from, String to) {
    this(model, champion, canary, from, to, false);
  }
}
