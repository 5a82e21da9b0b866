package dev.perennial.workflows.canary;

/**
 * Champion and shadow row by row, over the rows both scored in a window (the same request id and
 * row): what a shadow adds to a canary's figures, since both versions saw exactly the same inputs.
 *
 * @param pairedRows rows scored by both
 * @param agreement share of them for which both answered the same class (probability ≥ 0.5 is 1);
 *     null without paired rows
 * @param agreementStdError its standard error (binomial), null without paired rows
 * @param meanAbsDifference mean absolute difference of the two probabilities, null without rows
 * @param scorePsi population stability index of the shadow's probabilities against the champion's
 *     over the same rows, ten equal-width bins on [0, 1]: 0 for the same distribution, above 0.25 a
 *     large shift; null without paired rows
 * @param labelledPairs paired rows with a feedback label so far
 */
public record ShadowComparison(
    long pairedRows,
    Double agreement,
    Double agreementStdError,
    Double meanAbsDifference,
    Double scorePsi,
    long labelledPairs) {

  /** Nothing paired. */
  public static ShadowComparison empty() {
    return new ShadowComparison(0, null, null, null, null, 0);
  }
}
