package dev.perennial.workflows.canary;

/**
 * Champion and candidate side by side over one window.
 *
 * @param window the window analysed
 * @param champion the champion's figures
 * @param canary the candidate's figures: the canary's, or the shadow's
 * @param objectsRead log objects read, to show the work done
 * @param shadow for a shadow, the row-by-row comparison with the champion; null for a canary
 */
public record CanaryAnalysis(
    AnalysisWindow window,
    VersionStats champion,
    VersionStats canary,
    long objectsRead,
    ShadowComparison shadow) {

  /** A canary's analysis. */
  public CanaryAnalysis(
      AnalysisWindow window, VersionStats champion, VersionStats canary, long objectsRead) {
    this(window, champion, canary, objectsRead, null);
  }
}
