package dev.perennial.activities.drift;

import dev.perennial.activities.report.DriftPageInput;
import dev.perennial.activities.report.DriftReportPage;
import dev.perennial.activities.report.Tone;
import dev.perennial.workflows.drift.DriftReport;
import dev.perennial.workflows.drift.FeatureDrift;
import dev.perennial.workflows.drift.QualityDrift;
import java.util.List;

/** A {@link DriftReport} as the HTML page people open from the monitor's memo. */
final class DriftReportPages {
  private DriftReportPages() {}

  /** The page's UTF-8 bytes; the same report always gives the same bytes. */
  static byte[] render(DriftReport report) {
    List<DriftPageInput.FeatureRow> features =
        report.features().stream().map(DriftReportPages::row).toList();
    QualityDrift q = report.quality();
    DriftPageInput.QualityRow quality =
        q == null
            ? null
            : new DriftPageInput.QualityRow(
                q.labels(),
                q.logLoss(),
                q.championLogLoss(),
                q.auc(),
                q.championAuc(),
                q.finding());
    Tone tone =
        switch (report.decision().verdict()) {
          case DRIFT -> Tone.BAD;
          case NO_DRIFT -> Tone.GOOD;
          case TOO_FEW_ROWS, NO_CHAMPION -> Tone.WARN;
        };
    return DriftReportPage.page(
            new DriftPageInput(
                report.model(),
                report.champion(),
                report.from(),
                report.to(),
                report.rows(),
                report.decision().verdict().name(),
                tone,
                report.decision().reasons(),
                features,
                quality))
        .toBytes();
  }

  private static DriftPageInput.FeatureRow row(FeatureDrift f) {
    return new DriftPageInput.FeatureRow(
        f.feature(),
        f.type(),
        f.count(),
        f.missingRate(),
        f.psi(),
        f.ks(),
        f.ksPValue(),
        f.chiSquare(),
        f.chiSquarePValue(),
        f.jsDistance(),
        f.wasserstein(),
        f.drifted(),
        // The page marks a row critical when a critical feature's threshold is crossed; a critical
        // feature that did not drift is an ordinary row there.
        f.critical() && f.drifted(),
        f.finding(),
        f.bins(),
        shares(f.referenceShares()),
        shares(f.currentShares()));
  }

  private static double[] shares(List<Double> values) {
    return values == null
        ? new double[0]
        : values.stream().mapToDouble(v -> v == null ? Double.NaN : v).toArray();
  }
}
