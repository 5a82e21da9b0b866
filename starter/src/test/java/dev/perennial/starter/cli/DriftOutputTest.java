package dev.perennial.starter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.perennial.starter.ops.CannedDriftMonitor;
import dev.perennial.starter.ops.DriftReports;
import dev.perennial.starter.ops.Monitors;
import dev.perennial.workflows.drift.DriftMonitorResult;
import dev.perennial.workflows.drift.DriftReport;
import dev.perennial.workflows.drift.FeatureDrift;
import dev.perennial.workflows.drift.QualityDrift;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The per-feature table {@code drift} prints from a check's JSON report. */
class DriftOutputTest {

  static FeatureDrift numeric(String name, double w1, Double bound, boolean drifted) {
    return new FeatureDrift(
        name, "NUMERIC", 4388, 0.012, 0.0, 0.4127, 0.31, 2e-9, null, null, 0.2, w1, bound, drifted,
        drifted, null, List.of(), List.of(), List.of());
  }

  static DriftReport report(QualityDrift quality, FeatureDrift... features) {
    return new DriftReport(
        "credit-default",
        3,
        "2026-03-10T11:00:00Z",
        "2026-03-10T12:00:00Z",
        4388,
        0,
        List.of(features),
        quality,
        null,
        null,
        null);
  }

  static String figures(DriftReport report) {
    StringWriter text = new StringWriter();
    DriftOutput.figures(report, new PrintWriter(text, true));
    return text.toString();
  }

  @Test
  void theWassersteinDistanceIsPrintedWithItsErrorBoundWhenTheReportHasOne() {
    FeatureDrift withBound = numeric("income", 1520.0, 35.25, true);
    // Reports written before the bound was recorded have none: the distance stands alone.
    FeatureDrift older = numeric("age", 0.8123, null, false);
    FeatureDrift plan =
        new FeatureDrift(
            "plan",
            "CATEGORICAL",
            4388,
            0.0,
            0.0,
            0.05,
            null,
            null,
            1.2,
            0.5,
            0.1,
            null,
            null,
            false,
            false,
            null,
            List.of(),
            List.of(),
            List.of());
    QualityDrift quality =
        new QualityDrift(300, 0.52, 0.01, 0.7, 0.45, 0.74, true, "log loss 0.52 > 0.45 + 0.05");
    DriftReport report = report(quality, withBound, older, plan);

    assertThat(figures(report))
        .isEqualTo(
            """
            feature  type  missing  PSI    KS     test p   JS     W1         drifted
            -------------------------------------------------------------------------
            income   num   1.2%     0.413  0.310  2.0e-09  0.200  1520 ± 35  CRITICAL
            age      num   1.2%     0.413  0.310  2.0e-09  0.200  0.8123     -
            plan     cat   0.0%     0.050  -      0.500    0.100  -          -
              quality:    log loss 0.52 > 0.45 + 0.05
            """);
  }

  @Test
  void theLatestCheckListsTheFiguresOfItsReportWhenTheyWereRead() {
    DriftReport report = report(null, numeric("income", 1520.0, 35.25, true));
    Monitors.Monitor stopped =
        new Monitors.Monitor(
            CannedDriftMonitor.ID,
            "run-1",
            WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED,
            null,
            new DriftMonitorResult("credit-default", CannedDriftMonitor.TWO_CHECKS, "done"),
            null);
    StringWriter text = new StringWriter();

    DriftOutput.print(
        "credit-default",
        new DriftReports.Checks(stopped, CannedDriftMonitor.TWO_CHECKS, report),
        false,
        uri -> null,
        new PrintWriter(text, true));

    assertThat(text.toString())
        .contains(
            "  report:     s3://perennial-artifacts/drift/credit-default/2026-03-10T12:00:00Z/"
                + "report.html\n"
                + figures(report)
                + "The histograms of every feature are in the HTML report.\n"
                + "Earlier checks: perennial drift --model credit-default --all\n")
        .contains("1520 ± 35");
  }
}
