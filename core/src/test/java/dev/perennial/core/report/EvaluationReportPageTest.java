package dev.perennial.core.report;

import static dev.perennial.core.report.HtmlPageTest.cell;
import static dev.perennial.core.report.HtmlPageTest.count;
import static org.assertj.core.api.Assertions.assertThat;

import dev.perennial.core.model.BinaryMetrics;
import dev.perennial.core.report.EvaluationPageInput.ScoredModel;
import dev.perennial.workflows.training.ModelMetrics;
import dev.perennial.workflows.training.SliceMetrics;
import dev.perennial.workflows.training.SliceResults;
import dev.perennial.workflows.training.Slicing;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The evaluation page on a hand-checked case and on a realistic one written out to look at. */
class EvaluationReportPageTest {
  //               row:    1    2    3    4    5    6
  static final int[] Y = {1, 0, 1, 0, 1, 0};
  static final double[] P = {0.9, 0.8, 0.6, 0.6, 0.3, 0.1};
  // The champion gets rows 2 and 5 right as well: TN 2, FP 1, FN 0, TP 3.
  static final double[] CHAMPION = {0.9, 0.4, 0.6, 0.6, 0.7, 0.1};

  static ScoredModel scored(String name, int[] y, double[] p) {
    return new ScoredModel(
        name,
        "s3://artifacts/runs/m/" + name + "/model.bin",
        BinaryMetrics.of(y, p),
        BinaryMetrics.confusion(y, p),
        BinaryMetrics.rocCurve(y, p, 200));
  }

  static EvaluationPageInput handCase(String model) {
    return new EvaluationPageInput(
        model,
        "run-1",
        "v20260107",
        List.of("2026-01-06", "2026-01-07"),
        6,
        scored("candidate", Y, P),
        scored("champion", Y, CHAMPION));
  }

  @Test
  void aSlicedEvaluationShowsATableAndAnAucChartPerSlicing() {
    EvaluationPageInput hand = handCase("m");
    ModelMetrics south = new ModelMetrics(0.70, 0.5, 0.7, 0.5, 0.4, 0.45, 300);
    ModelMetrics southChampion = new ModelMetrics(0.76, 0.45, 0.7, 0.5, 0.5, 0.5, 300);
    SliceResults region =
        new SliceResults(
            Slicing.byValue("region"),
            List.of(new SliceMetrics("region", "south", 300, 90, south, 60, southChampion)));
    EvaluationPageInput sliced =
        new EvaluationPageInput(
            hand.model(),
            hand.runId(),
            hand.datasetVersion(),
            hand.heldOutDays(),
            hand.rows(),
            hand.candidate(),
            hand.champion(),
            List.of(region));
    String html = EvaluationReportPage.page(sliced).render();

    String section = html.substring(html.indexOf("<h2>Slices by region</h2>"));
    assertThat(section)
        .contains("<td>south</td>")
        .contains("0.7000")
        .contains("0.7600")
        .contains("-0.0600")
        .contains("20.0%")
        .contains("AUC per slice of region");
    assertThat(count(section, "<svg")).isEqualTo(1);
    assertThat(EvaluationReportPage.page(hand).render()).doesNotContain("Slices by");
  }

  @Test
  void confusionMatricesShowTheHandCountedCells() {
    String html = EvaluationReportPage.page(handCase("m")).render();
    String candidate = html.substring(html.indexOf("<h2>Confusion"));
    String champion = candidate.substring(candidate.indexOf("<svg", candidate.indexOf("</svg>")));

    // Candidate at 0.5: predicted positive rows 1-4 -> TP rows 1, 3; FP rows 2, 4. Predicted
    // negative rows 5, 6 -> FN row 5, TN row 6.
    assertThat(cell(candidate, "true negatives")).isEqualTo("1");
    assertThat(cell(candidate, "false positives")).isEqualTo("2");
    assertThat(cell(candidate, "false negatives")).isEqualTo("1");
    assertThat(cell(candidate, "true positives")).isEqualTo("2");
    // Champion: row 2 (0.4) is now a TN and row 5 (0.7) a TP.
    assertThat(cell(champion, "true negatives")).isEqualTo("2");
    assertThat(cell(champion, "false positives")).isEqualTo("1");
    assertThat(cell(champion, "false negatives")).isEqualTo("0");
    assertThat(cell(champion, "true positives")).isEqualTo("3");
  }

  @Test
  void rocCurvesOfBothModelsShareTheAxesWithTheirAucs() {
    String html = EvaluationReportPage.page(handCase("m")).render();

    assertThat(html).contains("aria-label=\"ROC curves\"");
    assertThat(count(html, "<polyline")).isEqualTo(2);
    // AUC 5.5/9 for the candidate (see BinaryMetricsTest); the champion ranks all three positives
    // above the negatives except the 0.6 tie (counts 1/2): (8 + 0.5) / 9.
    assertThat(html).contains(">candidate (AUC 0.611)</text>", ">champion (AUC 0.944)</text>");
    assertThat(html).contains("candidate AUC 0.6111 vs champion 0.9444 (-0.3333)");
  }

  @Test
  void metricsTableHasEveryMetricWithTheDifferenceColouredByWhichWayIsBetter() {
    String html = EvaluationReportPage.page(handCase("m")).render();
    ModelMetrics c = BinaryMetrics.of(Y, P);
    ModelMetrics ch = BinaryMetrics.of(Y, CHAMPION);

    // Accuracy 3/6 vs 5/6: worse, red. Log loss: the candidate's is higher, also worse, red.
    assertThat(html)
        .contains(
            "<tr><td>accuracy</td><td class=\"num\">0.5000</td><td class=\"num\">0.8333</td>"
                + "<td class=\"num bad\">-0.3333</td></tr>");
    assertThat(c.logLoss()).isGreaterThan(ch.logLoss());
    assertThat(html)
        .containsPattern(
            "<td>log loss</td>(<td class=\"num\">[0-9.]+</td>){2}<td class=\"num bad\">\\+");
    assertThat(html)
        .contains(
            "<tr><td>rows</td><td class=\"num\">6</td><td class=\"num\">6</td>"
                + "<td class=\"num\">0</td></tr>");
  }

  @Test
  void theTableListsEveryModelMetricsComponentInOrder() {
    // A metric added to ModelMetrics must show up here, not silently go missing from the page.
    assertThat(EvaluationReportPage.METRICS.stream().map(EvaluationReportPage.MetricColumn::key))
        .containsExactlyElementsOf(
            Arrays.stream(ModelMetrics.class.getRecordComponents())
                .map(java.lang.reflect.RecordComponent::getName)
                .toList());
  }

  @Test
  void withoutAChampionThereIsOneCurveOneMatrixAndNoDifference() {
    EvaluationPageInput in =
        new EvaluationPageInput(
            "m", "run-1", "v1", List.of("2026-01-07"), 6, scored("candidate", Y, P), null);
    String html = EvaluationReportPage.page(in).render();

    assertThat(count(html, "<polyline")).isEqualTo(1);
    assertThat(count(html, "aria-label=\"confusion matrix\"")).isEqualTo(1);
    assertThat(html).doesNotContain("difference").contains("no champion to compare with");
    assertThat(html).contains("<dt>champion</dt><dd>none</dd>");
  }

  @Test
  void namesFromUsersAreEscaped() {
    String html = EvaluationReportPage.page(handCase("<img src=x onerror=alert(1)>")).render();

    assertThat(html).doesNotContain("<img").contains("&lt;img src=x onerror=alert(1)&gt;");
  }

  @Test
  void sameInputSameBytes() throws Exception {
    EvaluationPageInput realistic = realistic();
    byte[] once = EvaluationReportPage.page(realistic).toBytes();
    byte[] twice = EvaluationReportPage.page(realistic()).toBytes();

    assertThat(once).isEqualTo(twice);
    ReportSamples.write("evaluation-report.html", EvaluationReportPage.page(realistic));
  }

  /** 4000 held-out rows, a candidate a little better than the champion. */
  static EvaluationPageInput realistic() {
    SplittableRandom random = new SplittableRandom(11);
    int n = 4000;
    int[] y = new int[n];
    double[] candidate = new double[n];
    double[] champion = new double[n];
    for (int i = 0; i < n; i++) {
      y[i] = random.nextDouble() < 0.22 ? 1 : 0;
      double signal = y[i] == 1 ? 1 : -1;
      candidate[i] = 1 / (1 + Math.exp(-(1.5 * signal - 0.9 + random.nextGaussian() * 1.4)));
      champion[i] = 1 / (1 + Math.exp(-(1.2 * signal - 0.9 + random.nextGaussian() * 1.5)));
    }
    return new EvaluationPageInput(
        "credit-default",
        "ct-credit-default-2026-01-08",
        "v20260108-3f2a",
        List.of("2026-01-06", "2026-01-07"),
        n,
        scored("candidate", y, candidate),
        scored("champion", y, champion));
  }
}
