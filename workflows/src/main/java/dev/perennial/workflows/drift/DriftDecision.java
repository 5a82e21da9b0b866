package dev.perennial.workflows.drift;

import java.util.List;

/**
 * What a window's figures mean under the policy.
 *
 * @param verdict the conclusion
 * @param reasons why, one line each (for DRIFT the rules that held)
 * @param driftedFeatures features counted as drifted
 * @param judgedFeatures features that had values to judge
 */
public record DriftDecision(
    DriftVerdict verdict, List<String> reasons, int driftedFeatures, int judgedFeatures) {}
