package dev.perennial.workflows.canary;

import java.util.List;

/**
 * What the {@code status} query answers.
 *
 * @param model model name
 * @param version the canary's version
 * @param champion the champion it is compared with
 * @param phase what the rollout is doing
 * @param step 1-based current step, 0 before the first shift
 * @param steps the steps' shares in %
 * @param canaryPercent the canary's current share
 * @param paused true while held by a {@code pause} signal
 * @param approved true once an {@code approve} signal came
 * @param lastAnalysis the latest analysed bake, null before the first
 * @param outcome how it ended, null while it runs
 * @param message one line for people
 * @param mode canary or shadow; with a shadow, {@code canaryPercent} is the share of requests it
 *     scores beside the champion
 */
public record CanaryStatus(
    String model,
    int version,
    Integer champion,
    CanaryPhase phase,
    int step,
    List<Integer> steps,
    int canaryPercent,
    boolean paused,
    boolean approved,
    StepReport lastAnalysis,
    CanaryOutcome outcome,
    String message,
    RolloutMode mode) {}
