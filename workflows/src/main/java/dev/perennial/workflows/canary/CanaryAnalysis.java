package dev.perennial.workflows.canary;

/**
 * Champion and canary side by side over one window.
 *
 * @param window the window analysed
 * @param champion the champion's figures
 * @param canary the canary's figures
 * @param objectsRead log objects read, to show the work done
 */
public record CanaryAnalysis(
    AnalysisWindow window, VersionStats champion, VersionStats canary, long objectsRead) {}
