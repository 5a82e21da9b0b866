package dev.perennial.activities.report;

import java.util.List;
import java.util.Objects;

/**
 * What a drift report shows for one monitoring window: the decision, per-feature statistics with
 * their histograms, and online quality. Independent of the drift monitor's own records on purpose,
 * so the page can be rendered (and tested) without them; the drift activity maps its result onto
 * these.
 *
 * @param model the model's name
 * @param championVersion the champion whose training reference was compared against, or null
 * @param from start of the window as shown (e.g. an ISO instant)
 * @param to end of the window as shown
 * @param rows served rows in the window
 * @param verdict the decision in a few words (e.g. "RETRAIN", "NO_DRIFT")
 * @param verdictTone how the decision is coloured: BAD when it triggers retraining, WARN when it
 *     watches, GOOD when all is well; null reads as NEUTRAL
 * @param reasons why, one sentence each
 * @param features one row per monitored feature, in any order
 * @param quality online quality from feedback labels, or null when none arrived
 */
public record DriftPageInput(
    String model,
    Integer championVersion,
    String from,
    String to,
    long rows,
    String verdict,
    Tone verdictTone,
    List<String> reasons,
    List<FeatureRow> features,
    QualityRow quality) {

  public DriftPageInput {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(verdict, "verdict");
    verdictTone = verdictTone == null ? Tone.NEUTRAL : verdictTone;
    reasons = reasons == null ? List.of() : List.copyOf(reasons);
    features = features == null ? List.of() : List.copyOf(features);
  }

  /**
   * One feature's statistics and histogram. Statistics that do not apply to its type are null and
   * show as a dash.
   *
   * @param feature the feature's name
   * @param type its type as shown (e.g. "numeric", "categorical")
   * @param count non-missing values in the window
   * @param missingRate share of rows where it was missing
   * @param psi population stability index
   * @param ks Kolmogorov-Smirnov statistic
   * @param ksPValue its p-value
   * @param chiSquare chi-square statistic
   * @param chiSquarePValue its p-value
   * @param jsDistance Jensen-Shannon distance
   * @param wasserstein Wasserstein (earth mover's) distance
   * @param drifted over a drift threshold
   * @param critical over a threshold that acts on its own
   * @param finding a sentence on what was found, or null
   * @param binLabels the histogram's bins (ranges or categories); empty draws no histogram
   * @param referenceShares share of reference rows per bin
   * @param currentShares share of the window's rows per bin
   */
  public record FeatureRow(
      String feature,
      String type,
      long count,
      double missingRate,
      Double psi,
      Double ks,
      Double ksPValue,
      Double chiSquare,
      Double chiSquarePValue,
      Double jsDistance,
      Double wasserstein,
      boolean drifted,
      boolean critical,
      String finding,
      List<String> binLabels,
      double[] referenceShares,
      double[] currentShares) {

    public FeatureRow {
      Objects.requireNonNull(feature, "feature");
      binLabels = binLabels == null ? List.of() : List.copyOf(binLabels);
      referenceShares = referenceShares == null ? new double[0] : referenceShares;
      currentShares = currentShares == null ? new double[0] : currentShares;
      if (referenceShares.length != binLabels.size() || currentShares.length != binLabels.size()) {
        throw new IllegalArgumentException(
            feature
                + ": "
                + binLabels.size()
                + " bins but "
                + referenceShares.length
                + " reference and "
                + currentShares.length
                + " current shares");
      }
    }
  }

  /**
   * Online quality of the champion in the window, from feedback labels, against its reference.
   *
   * @param labels feedback labels received
   * @param logLoss log loss on them, or null
   * @param championLogLoss the champion's reference log loss, or null
   * @param auc AUC on them, or null
   * @param championAuc the champion's reference AUC, or null
   * @param finding a sentence on what was found, or null
   */
  public record QualityRow(
      long labels,
      Double logLoss,
      Double championLogLoss,
      Double auc,
      Double championAuc,
      String finding) {}
}
