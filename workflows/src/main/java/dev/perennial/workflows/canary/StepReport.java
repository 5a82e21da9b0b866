package dev.perennial.workflows.canary;

import java.util.List;

/**
 * One analysed bake of a canary step, kept in the run's status and result.
 *
 * @param step 1-based step number
 * @param percent the canary's share during the bake
 * @param attempt 0 for the first bake of the step, 1.. for extensions
 * @param from ISO-8601 start of the window analysed
 * @param to ISO-8601 end of the window
 * @param champion what the canary was compared with: this window's champion figures, or the last
 *     step's when the champion served too little here (at 100 %, say)
 * @param canary the canary's figures
 * @param verdict the conclusion
 * @param findings one line per check, e.g. "error rate: 0.40 % vs 0.10 % (+0.30 points, max +1.00):
 *     ok"
 * @param shadow for a shadow step, the row-by-row comparison with the champion; null for a canary
 */
public record StepReport(
    int step,
    int percent,
    int attempt,
    String from,
    String to,
    VersionStats champion,
    VersionStats canary,
    Verdict verdict,
    List<String> findings,
    ShadowComparison shadow) {}
