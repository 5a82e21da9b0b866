package dev.perennial.workflows.drift;

import dev.perennial.workflows.ObjectRef;
import java.util.List;

/**
 * One drift measurement: served traffic of a window against the champion's training reference.
 *
 * @param model model name
 * @param champion the champion's version compared against, null without one
 * @param from window start, ISO-8601, inclusive
 * @param to window end, ISO-8601, exclusive
 * @param rows served rows in the window
 * @param skippedLines log lines that could not be read (counted, never fatal)
 * @param features per feature, drifted first
 * @param quality online quality from feedback labels
 * @param decision the verdict under the policy
 * @param html the HTML report in S3, null when nothing was measured
 * @param json the same report as JSON
 */
public record DriftReport(
    String model,
    Integer champion,
    String from,
    String to,
    long rows,
    long skippedLines,
    List<FeatureDrift> features,
    QualityDrift quality,
    DriftDecision decision,
    ObjectRef html,
    ObjectRef json) {

  /** The report people open: the HTML one, or the JSON one without it. */
  public ObjectRef link() {
    return html != null ? html : json;
  }

  /** The largest PSI of any feature, null when none was measured. */
  public Double maxPsi() {
    Double max = null;
    if (features != null) {
      for (FeatureDrift f : features) {
        if (f.psi() != null && (max == null || f.psi() > max)) {
          max = f.psi();
        }
      }
    }
    return max;
  }
}
