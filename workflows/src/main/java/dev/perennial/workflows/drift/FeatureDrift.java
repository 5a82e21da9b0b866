package dev.perennial.workflows.drift;

import java.util.List;

/**
 * How one feature's served values compare with the champion's training data. Statistics that do not
 * apply to the feature's type, or cannot be computed (no values in the window), are null.
 *
 * @param feature feature name
 * @param type NUMERIC or CATEGORICAL
 * @param count served rows with a value
 * @param missingRate share of served rows without a value
 * @param referenceMissingRate share of training rows without a value
 * @param psi population stability index over the training deciles (numbers) or categories
 * @param ks two-sample Kolmogorov–Smirnov statistic (numbers)
 * @param ksPValue its p-value
 * @param chiSquare chi-square statistic of homogeneity (categories)
 * @param chiSquarePValue its p-value
 * @param jsDistance Jensen–Shannon distance, base 2, over the same bins as PSI (0..1)
 * @param wasserstein Wasserstein-1 distance, in the feature's unit (numbers)
 * @param wassersteinErrorBound how far {@code wasserstein} can be from the exact distance to the
 *     training values (it is streamed against a quantile sketch); null when unknown, as in reports
 *     written before it was recorded
 * @param drifted whether the policy counts it as drifted
 * @param critical whether the policy lists it as critical
 * @param finding one line for people, e.g. "PSI 0.41 ≥ 0.20 and KS p 1e-12 < 0.01"
 * @param bins bin labels of the histogram: decile ranges or categories
 * @param referenceShares share of training values per bin
 * @param currentShares share of served values per bin
 */
public record FeatureDrift(
    String feature,
    String type,
    long count,
    double missingRate,
    double referenceMissingRate,
    Double psi,
    Double ks,
    Double ksPValue,
    Double chiSquare,
    Double chiSquarePValue,
    Double jsDistance,
    Double wasserstein,
    Double wassersteinErrorBound,
    boolean drifted,
    boolean critical,
    String finding,
    List<String> bins,
    List<Double> referenceShares,
    List<Double> currentShares) {

  /** The same figures, judged. */
  public FeatureDrift judged(boolean drifted, boolean critical, String finding) {
    return new FeatureDrift(
        feature,
        type,
        count,
        missingRate,
        referenceMissingRate,
        psi,
        ks,
        ksPValue,
        chiSquare,
        chiSquarePValue,
        jsDistance,
        wasserstein,
        wassersteinErrorBound,
        drifted,
        critical,
        finding,
        bins,
        referenceShares,
        currentShares);
  }

  /** The p-value of this feature's distribution test, whichever applies; null when none. */
  public Double pValue() {
    return ksPValue != null ? ksPValue : chiSquarePValue;
  }
}
