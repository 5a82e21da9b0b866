package dev.perennial.workflows.training;

/**
 * Binary-classification metrics of a model on a set of rows, at threshold 0.5.
 *
 * @param auc area under the ROC curve
 * @param logLoss mean negative log-likelihood (natural log), probabilities clipped to [1e-15, 1 -
 *     1e-15]
 * @param accuracy share of correct predictions
 * @param precision true positives / predicted positives (0 when nothing is predicted positive)
 * @param recall true positives / actual positives (0 when there are no positives)
 * @param f1 harmonic mean of precision and recall (0 when both are 0)
 * @param rows rows scored
 */
public record ModelMetrics(
    double auc,
    double logLoss,
    double accuracy,
    double precision,
    double recall,
    double f1,
    long rows) {

  /** The value of a metric by name ({@code auc}, {@code logLoss}, ...). */
  public double get(String metric) {
    return switch (metric) {
      case "auc" -> auc;
      case "logLoss" -> logLoss;
      case "accuracy" -> accuracy;
      case "precision" -> precision;
      case "recall" -> recall;
      case "f1" -> f1;
      default -> throw new IllegalArgumentException("unknown metric " + metric);
    };
  }

  /** True for metrics where smaller is better. */
  public static boolean lowerIsBetter(String metric) {
    return "logLoss".equals(metric);
  }
}
