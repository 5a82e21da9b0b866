package dev.perennial.core.report;

import dev.perennial.core.report.EvaluationPageInput.ScoredModel;
import dev.perennial.workflows.training.ModelMetrics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.SequencedMap;

/**
 * The evaluation report a person opens from the workflow's memo: ROC curves of candidate and
 * champion on the same axes, their confusion matrices at 0.5, and every metric side by side with
 * the difference. It shows the numbers the validation gate decides on; it does not decide.
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
    return page;
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
