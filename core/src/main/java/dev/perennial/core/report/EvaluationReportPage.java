package dev.perennial.core.report;

import dev.perennial.core.report.EvaluationPageInput.ScoredModel;
import dev.perennial.workflows.training.ModelMetrics;
import dev.perennial.workflows.training.SliceMetrics;
import dev.perennial.workflows.training.SliceResults;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.SequencedMap;

/**
 * The evaluation report a person opens from the workflow's memo: ROC curves of candidate and
 * champion on the same axes, their confusion matrices at 0.5, every metric side by side with the
 * difference, and, when the evaluation was sliced, a table and an AUC chart per slicing. It shows
 * the numbers the validation gate decides on; it does not decide.
 */
public final class EvaluationReportPage {
  /** Every {@link ModelMetrics} component with its label and decimals, in the record's order. */
  static final List<MetricColumn> METRICS =
      List.of(
          new MetricColumn("auc", "AUC", 4),
          new MetricColumn("logLoss", "log loss", 4),
          new MetricColumn("accuracy", "accuracy", 4),
          new MetricColumn("precision", "precision", 4),
          new MetricColumn("recall", "recall", 4),
          new MetricColumn("f1", "F1", 4),
          new MetricColumn("rows", "rows", 0));

  private EvaluationReportPage() {}

  /** The page for one evaluation. */
  public static HtmlPage page(EvaluationPageInput in) {
    ScoredModel candidate = in.candidate();
    ScoredModel champion = in.champion();
    HtmlPage page = new HtmlPage("Evaluation of " + in.model());
    page.subtitle("run " + in.runId() + " \u00b7 dataset " + in.datasetVersion());
    page.banner(Tone.NEUTRAL, headline(candidate, champion), details(candidate, champion));

    SequencedMap<String, String> facts = new LinkedHashMap<>();
    facts.put("model", in.model());
    facts.put("run", in.runId());
    facts.put("dataset version", in.datasetVersion());
    facts.put(
        "held-out days",
        in.heldOutDays().isEmpty()
            ? Decimals.NONE
            : String.join(", ", in.heldOutDays()) + " (" + in.heldOutDays().size() + ")");
    facts.put("held-out rows", Decimals.count(in.rows()));
    facts.put(candidate.name(), candidate.modelUri());
    facts.put(
        champion == null ? "champion" : champion.name(),
        champion == null ? "none" : champion.modelUri());
    page.facts(facts);

    page.section(champion == null ? "Metrics" : "Metrics vs champion");
    page.table(metricsTable(candidate, champion));
    page.paragraph(
        champion == null
            ? "Metrics at threshold 0.5 on the held-out rows."
            : "Metrics at threshold 0.5 on the held-out rows; the difference is candidate minus"
                + " champion, green where the candidate is better (lower for log loss).");

    page.section("ROC curve");
    List<SvgCharts.Curve> curves = new ArrayList<>();
    curves.add(curve(candidate));
    if (champion != null) {
      curves.add(curve(champion));
    }
    page.figures(
        List.of(
            new HtmlPage.Figure(
                null,
                "ROC on the held-out rows",
                Decimals.count(in.rows()) + " rows",
                SvgCharts.rocCurves(curves))));

    page.section("Confusion matrices at threshold 0.5");
    List<HtmlPage.Figure> matrices = new ArrayList<>();
    matrices.add(matrix(candidate));
    if (champion != null) {
      matrices.add(matrix(champion));
    }
    page.figures(matrices);

    for (SliceResults sliced : in.slices()) {
      slices(page, sliced, candidate, champion);
    }
    return page;
  }

  /** One slicing's table (counts and metrics per slice) and its AUC chart. */
  private static void slices(
      HtmlPage page, SliceResults sliced, ScoredModel candidate, ScoredModel champion) {
    boolean vs = champion != null;
    page.section("Slices by " + sliced.by());
    List<String> headers = new ArrayList<>(List.of("slice", "rows", "positives"));
    headers.add(candidate.name() + " AUC");
    if (vs) {
      headers.add(champion.name() + " AUC");
      headers.add("AUC difference");
    }
    headers.add("predicted positive");
    headers.add("recall");
    headers.add("log loss");
    ReportTable table = new ReportTable(headers);
    int[] numeric = new int[headers.size() - 1];
    for (int i = 0; i < numeric.length; i++) {
      numeric[i] = i + 1;
    }
    table.numeric(numeric);
    List<String> bins = new ArrayList<>();
    double[] candidateAuc = new double[sliced.slices().size()];
    double[] championAuc = new double[sliced.slices().size()];
    int k = 0;
    for (SliceMetrics s : sliced.slices()) {
      List<ReportTable.Cell> cells = new ArrayList<>();
      cells.add(ReportTable.Cell.text(s.value()));
      cells.add(ReportTable.Cell.text(Decimals.count(s.rows())));
      cells.add(ReportTable.Cell.text(Decimals.count(s.positives())));
      cells.add(ReportTable.Cell.text(Decimals.fixed(s.candidate().auc(), 4)));
      if (vs) {
        double difference = s.candidate().auc() - s.champion().auc();
        Tone tone =
            !Double.isFinite(difference) || difference == 0
                ? Tone.NEUTRAL
                : difference > 0 ? Tone.GOOD : Tone.BAD;
        cells.add(ReportTable.Cell.text(Decimals.fixed(s.champion().auc(), 4)));
        cells.add(ReportTable.Cell.toned(Decimals.signed(difference, 4), tone));
        championAuc[k] = s.champion().auc();
      }
      cells.add(ReportTable.Cell.text(Decimals.percent(s.candidatePositiveRate(), 1)));
      cells.add(ReportTable.Cell.text(Decimals.fixed(s.candidate().recall(), 4)));
      cells.add(ReportTable.Cell.text(Decimals.fixed(s.candidate().logLoss(), 4)));
      table.row(null, cells);
      bins.add(s.value());
      candidateAuc[k++] = s.candidate().auc();
    }
    page.table(table);
    page.paragraph(
        "The held-out rows cut by "
            + sliced.by().feature()
            + "; predicted positive, recall and log loss are the "
            + candidate.name()
            + "'s at threshold 0.5"
            + (vs ? "; the AUC difference is candidate minus champion" : "")
            + ". A slice of one class has no AUC (\u2013).");
    List<SvgCharts.Series> series = new ArrayList<>();
    series.add(new SvgCharts.Series(candidate.name(), candidateAuc));
    if (vs) {
      series.add(new SvgCharts.Series(champion.name(), championAuc));
    }
    page.figures(
        List.of(
            new HtmlPage.Figure(
                null,
                "AUC per slice of " + sliced.by().feature(),
                sliced.slices().size() + " slices",
                SvgCharts.bars(sliced.by().feature(), "AUC", bins, series))));
  }

  private static String headline(ScoredModel candidate, ScoredModel champion) {
    String auc = "AUC " + Decimals.fixed(candidate.metrics().auc(), 4);
    if (champion == null) {
      return candidate.name() + " " + auc + "; no champion to compare with";
    }
    double difference = candidate.metrics().auc() - champion.metrics().auc();
    return candidate.name()
        + " "
        + auc
        + " vs "
        + champion.name()
        + " "
        + Decimals.fixed(champion.metrics().auc(), 4)
        + " ("
        + Decimals.signed(difference, 4)
        + ")";
  }

  private static List<String> details(ScoredModel candidate, ScoredModel champion) {
    List<String> lines = new ArrayList<>();
    lines.add(
        candidate.name()
            + " log loss "
            + Decimals.fixed(candidate.metrics().logLoss(), 4)
            + (champion == null ? "" : " vs " + Decimals.fixed(champion.metrics().logLoss(), 4)));
    lines.add("The validation gate decides on these numbers; its decision is in the run's result.");
    return lines;
  }

  private static ReportTable metricsTable(ScoredModel candidate, ScoredModel champion) {
    ReportTable table =
        champion == null
            ? new ReportTable(List.of("metric", candidate.name())).numeric(1)
            : new ReportTable(List.of("metric", candidate.name(), champion.name(), "difference"))
                .numeric(1, 2, 3);
    for (MetricColumn m : METRICS) {
      double c = m.value(candidate.metrics());
      if (champion == null) {
        table.row(null, m.label(), m.format(c));
        continue;
      }
      double ch = m.value(champion.metrics());
      double difference = c - ch;
      Tone tone = Tone.NEUTRAL;
      if (!m.isCount() && Double.isFinite(difference) && difference != 0) {
        boolean better = ModelMetrics.lowerIsBetter(m.key()) ? difference < 0 : difference > 0;
        tone = better ? Tone.GOOD : Tone.BAD;
      }
      table.row(
          null,
          List.of(
              ReportTable.Cell.text(m.label()),
              ReportTable.Cell.text(m.format(c)),
              ReportTable.Cell.text(m.format(ch)),
              ReportTable.Cell.toned(
                  m.isCount()
                      ? Decimals.signed(difference, 0)
                      : Decimals.signed(difference, m.decimals()),
                  tone)));
    }
    return table;
  }

  private static SvgCharts.Curve curve(ScoredModel m) {
    return new SvgCharts.Curve(
        m.name() + " (AUC " + Decimals.fixed(m.metrics().auc(), 3) + ")", m.roc());
  }

  private static HtmlPage.Figure matrix(ScoredModel m) {
    long[][] c = m.confusion();
    long predictedPositive = c[0][1] + c[1][1];
    return new HtmlPage.Figure(
        null,
        m.name(),
        Decimals.count(predictedPositive)
            + " predicted positive of "
            + Decimals.count(c[0][0] + c[0][1] + c[1][0] + c[1][1]),
        SvgCharts.confusionMatrix(c));
  }

  /** One metric row: which component, its label, and how many decimals it shows. */
  record MetricColumn(String key, String label, int decimals) {
    boolean isCount() {
      return "rows".equals(key);
    }

    double value(ModelMetrics m) {
      return isCount() ? m.rows() : m.get(key);
    }

    String format(double value) {
      return isCount() ? Decimals.count((long) value) : Decimals.fixed(value, decimals);
    }
  }
}
