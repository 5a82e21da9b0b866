package dev.perennial.workflows.drift;

/**
 * Online quality of the champion in the window, from feedback labels, against what its evaluation
 * promised: the sign of concept drift, where inputs look the same but the answers changed.
 *
 * @param labels served rows with a feedback label
 * @param logLoss online log loss over them, null without labels
 * @param logLossStdError standard error of that log loss
 * @param auc online AUC, null without both classes
 * @param championLogLoss the champion's log loss at evaluation
 * @param championAuc the champion's AUC at evaluation
 * @param degraded whether the policy counts the rise as a breach
 * @param finding one line for people
 */
public record QualityDrift(
    long labels,
    Double logLoss,
    Double logLossStdError,
    Double auc,
    Double championLogLoss,
    Double championAuc,
    boolean degraded,
    String finding) {

  /** The same figures, judged. */
  public QualityDrift judged(boolean degraded, String finding) {
    return new QualityDrift(
        labels, logLoss, logLossStdError, auc, championLogLoss, championAuc, degraded, finding);
  }
}
