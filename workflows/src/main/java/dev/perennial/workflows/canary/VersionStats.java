package dev.perennial.workflows.canary;

/**
 * How one version served during an analysis window.
 *
 * @param version model version
 * @param requests requests answered or failed by this version
 * @param rows rows scored
 * @param errors requests that failed on the server side (not refused input)
 * @param p99LatencyMs 99th percentile of request latency, null without requests
 * @param labelled scored rows with a feedback label so far
 * @param logLoss log loss on the labelled rows, null without labels
 * @param auc AUC on the labelled rows, null unless both classes are present
 * @param meanProbability mean predicted probability of class 1, null without rows
 * @param logLossStdError standard error of {@code logLoss}, null under two labels
 * @param aucStdError standard error of {@code auc}, null when {@code auc} is
 */
public record VersionStats(
    int version,
    long requests,
    long rows,
    long errors,
    Double p99LatencyMs,
    long labelled,
    Double logLoss,
    Double auc,
    Double meanProbability,
    Double logLossStdError,
    Double aucStdError) {

  /** Standard error of {@link #errorRate()} (binomial); 0 without requests. */
  public double errorRateStdError() {
    double p = errorRate();
    return requests == 0 ? 0.0 : Math.sqrt(p * (1 - p) / requests);
  }

  /** Share of requests that failed; 0 without requests. */
  public double errorRate() {
    return requests == 0 ? 0.0 : (double) errors / requests;
  }

  /** Nothing logged for {@code version}. */
  public static VersionStats empty(int version) {
    return new VersionStats(version, 0, 0, 0, null, 0, null, null, null, null, null);
  }
}
