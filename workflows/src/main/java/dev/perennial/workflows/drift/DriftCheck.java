package dev.perennial.workflows.drift;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One measurement as the monitor remembers it: small enough to keep the last few in state.
 *
 * @param at when the window ended, ISO-8601
 * @param champion the version compared against
 * @param rows served rows in the window
 * @param verdict the conclusion, null when the measurement failed
 * @param reasons why
 * @param drifted names of the drifted features
 * @param maxPsi the largest PSI of any feature, null when none measured
 * @param action what the monitor did about it: "none", "started retraining
 *     continuous-training-m/&lt;run id&gt;", "retraining already running: continuous-training-m",
 *     "cooldown until &lt;instant&gt;", or "measurement failed: &lt;why&gt;"
 * @param report link to the HTML report, null when none was written
 * @param data link to the same report as JSON (every feature's figures), null when none
 */
public record DriftCheck(
    String at,
    Integer champion,
    long rows,
    DriftVerdict verdict,
    List<String> reasons,
    List<String> drifted,
    Double maxPsi,
    String action,
    String report,
    String data) {

  /** A measurement that failed: no verdict, and why as the action. */
  static DriftCheck failed(String at, String why) {
    return new DriftCheck(at, null, 0, null, List.of(), List.of(), null, why, null, null);
  }

  /**
   * What the monitor keeps of {@code report}, measured up to {@code at}, and its {@code action}.
   */
  static DriftCheck of(DriftReport report, String at, String action) {
    return new DriftCheck(
        at,
        report.champion(),
        report.rows(),
        report.decision().verdict(),
        List.copyOf(report.decision().reasons()),
        report.features() == null
            ? List.of()
            : report.features().stream()
                .filter(FeatureDrift::drifted)
                .map(FeatureDrift::feature)
                .toList(),
        report.maxPsi(),
        action,
        report.link() == null ? null : report.link().uri(),
        report.json() == null ? null : report.json().uri());
  }

  /** The run's memo entries for this check: its verdict and, when written, its report's link. */
  Map<String, Object> memo(String verdictKey, String reportKey) {
    Map<String, Object> memo = new LinkedHashMap<>();
    memo.put(verdictKey, verdict.name());
    if (report != null) {
      memo.put(reportKey, report);
    }
    return memo;
  }
}
