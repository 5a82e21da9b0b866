package dev.perennial.workflows.gate;

import java.util.List;

/**
 * The gate's verdict with its reasons.
 *
 * @param passed true when every check held
 * @param reasons one sentence per failed check, or why it passed
 * @param checks every check with numbers
 * @param championVersion the champion it was compared with, null if none
 */
public record GateDecision(
    boolean passed, List<String> reasons, List<GateCheck> checks, Integer championVersion) {}
