package dev.perennial.workflows.canary;

import java.util.List;

/**
 * Result of a canary rollout.
 *
 * @param model model name
 * @param version the canary's version
 * @param outcome how it ended
 * @param champion the champion now
 * @param previousChampion the champion it was compared with
 * @param reason why it ended so: the breached checks, the abort reason, ...
 * @param history every analysed bake in order
 * @param message one line for people
 * @param mode canary or shadow (null in results recorded before shadows: a canary)
 */
public record CanaryResult(
    String model,
    int version,
    CanaryOutcome outcome,
    int champion,
    int previousChampion,
    String reason,
    List<StepReport> history,
    String message,
    RolloutMode mode) {}
