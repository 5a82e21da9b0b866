package dev.perennial.activities.report;

import dev.perennial.activities.report.DriftPageInput.FeatureRow;
import dev.perennial.activities.report.DriftPageInput.QualityRow;
import dev.perennial.activities.report.ReportTable.Cell;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.SequencedMap;

/**
 * The drift report of one monitoring window: the decision first, then the statistics table with
 * drifted features on top, online quality, and a reference-vs-current histogram per feature in the
 * table's order (each feature name in the table links to its histogram).
 */
public final class DriftReportPage {
  /**
   * Critical first, then drifted, then the rest; within each, largest PSI first (a missing PSI
   * last), then by name so the order never depends on the input's.
   */
  static final Comparator<FeatureRow> ORDER =
      Comparator.comparingInt(DriftReportPage::rank)
          .thenComparing(
              FeatureRow::psi, Comparator.nullsLast(Comparator.<Double>naturalOrder().reversed()))
          .thenComparing(FeatureRow::feature);

  private DriftReportPage() {}

  /** The page for one window. */
  public static HtmlPage page(DriftPageInput in) {
    List<FeatureRow> features = in.features().stream().sorted(ORDER).toList();
    long drifted = features.stream().filter(f -> f.drifted() || f.critical()).count();
    long critical = features.stream().filter(FeatureRow::critical).count();

    HtmlPage page = new HtmlPage("Drift report: " + in.model());
    page.subtitle(window(in));
    List<String> details = new ArrayList<>(in.reasons());
    details.add(
        drifted
            + " of "
            + features.size()
            + " features drifted"
            + (critical == 0 ? "" : ", " + critical + " critical"));
    page.banner(in.verdictTone(), "Decision: " + in.verdict(), details);

    SequencedMap<String, String> facts = new LinkedHashMap<>();
    facts.put("model", in.model());
    facts.put("champion", in.championVersion() == null ? "none" : "v" + in.championVersion());
    facts.put("window", window(in));
    facts.put("rows in window", Decimals.count(in.rows()));
    page.facts(facts);

    page.section("Feature statistics");
    page.table(statistics(features));
    page.paragraph(
        "Red rows are over a critical threshold, amber rows over a drift threshold. Missing is the"
            + " share of the window's rows without a value; a dash is a statistic that does not"
            + " apply to the feature's type.");

    page.section("Online quality");
    quality(page, in.quality());

    page.section("Distributions: reference vs current");
    List<HtmlPage.Figure> figures = new ArrayList<>();
    List<String> withoutHistogram = new ArrayList<>();
    for (int i = 0; i < features.size(); i++) {
      FeatureRow f = features.get(i);
      if (f.binLabels().isEmpty()) {
        withoutHistogram.add(f.feature());
        continue;
      }
      figures.add(
          new HtmlPage.Figure(
              anchor(i),
              f.feature(),
              note(f),
              SvgCharts.histogram(
                  f.feature(),
                  f.binLabels(),
                  List.of(
                      new SvgCharts.Series("reference", f.referenceShares()),
                      new SvgCharts.Series("current window", f.currentShares())))));
    }
    if (!figures.isEmpty()) {
      page.figures(figures);
    }
    if (!withoutHistogram.isEmpty()) {
      page.paragraph("No histogram for: " + String.join(", ", withoutHistogram) + ".");
    }
    return page;
  }

  private static int rank(FeatureRow f) {
    return f.critical() ? 0 : f.drifted() ? 1 : 2;
  }

  private static String window(DriftPageInput in) {
    return (in.from() == null ? "?" : in.from()) + " \u2192 " + (in.to() == null ? "?" : in.to());
  }

  /** Figure ids from positions, never from names: names come from users and ids are not escaped. */
  private static String anchor(int index) {
    return "feature-" + index;
  }

  private static ReportTable statistics(List<FeatureRow> features) {
    ReportTable table =
        new ReportTable(
                List.of(
                    "feature",
                    "type",
                    "count",
                    "missing",
                    "PSI",
                    "KS",
                    "KS p",
                    "\u03c7\u00b2",
                    "\u03c7\u00b2 p",
                    "JS distance",
                    "Wasserstein",
                    "status",
                    "finding"))
            .numeric(2, 3, 4, 5, 6, 7, 8, 9, 10);
    for (int i = 0; i < features.size(); i++) {
      FeatureRow f = features.get(i);
      Tone tone = f.critical() ? Tone.BAD : f.drifted() ? Tone.WARN : null;
      table.row(
          tone,
          List.of(
              f.binLabels().isEmpty() ? Cell.text(f.feature()) : Cell.link(f.feature(), anchor(i)),
              Cell.text(f.type() == null ? Decimals.NONE : f.type()),
              Cell.text(Decimals.count(f.count())),
              Cell.text(Decimals.percent(f.missingRate(), 1)),
              Cell.text(Decimals.fixed(f.psi(), 3)),
              Cell.text(Decimals.fixed(f.ks(), 3)),
              Cell.text(Decimals.pValue(f.ksPValue())),
              Cell.text(Decimals.fixed(f.chiSquare(), 1)),
              Cell.text(Decimals.pValue(f.chiSquarePValue())),
              Cell.text(Decimals.fixed(f.jsDistance(), 3)),
              Cell.text(Decimals.fixed(f.wasserstein(), 3)),
              Cell.text(status(f)),
              Cell.text(f.finding() == null ? "" : f.finding())));
    }
    return table;
  }

  private static String status(FeatureRow f) {
    return f.critical() ? "critical" : f.drifted() ? "drifted" : "ok";
  }

  private static String note(FeatureRow f) {
    StringBuilder note = new StringBuilder(f.type() == null ? "" : f.type());
    if (f.psi() != null) {
      note.append(note.isEmpty() ? "" : " \u00b7 ")
          .append("PSI ")
          .append(Decimals.fixed(f.psi(), 3));
    }
    if (f.drifted() || f.critical()) {
      note.append(note.isEmpty() ? "" : " \u00b7 ").append(status(f));
    }
    return note.toString();
  }

  private static void quality(HtmlPage page, QualityRow q) {
    if (q == null) {
      page.paragraph("No online quality for this window: no feedback labels arrived.");
      return;
    }
    ReportTable table =
        new ReportTable(List.of("metric", "this window", "champion reference", "difference"))
            .numeric(1, 2, 3);
    table.row(null, "feedback labels", Decimals.count(q.labels()), Decimals.NONE, Decimals.NONE);
    table.row(
        null,
        "log loss",
        Decimals.fixed(q.logLoss(), 4),
        Decimals.fixed(q.championLogLoss(), 4),
        difference(q.logLoss(), q.championLogLoss()));
    table.row(
        null,
        "AUC",
        Decimals.fixed(q.auc(), 4),
        Decimals.fixed(q.championAuc(), 4),
        difference(q.auc(), q.championAuc()));
    page.table(table);
    if (q.finding() != null && !q.finding().isEmpty()) {
      page.paragraph(q.finding());
    }
  }

  private static String difference(Double window, Double reference) {
    return window == null || reference == null
        ? Decimals.NONE
        : Decimals.signed(window - reference, 4);
  }
}
