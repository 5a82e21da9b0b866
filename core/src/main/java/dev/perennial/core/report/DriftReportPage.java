package dev.perennial.core.report;

import dev.perennial.core.report.ReportTable.Cell;
import dev.perennial.workflows.drift.DriftDecision;
import dev.perennial.workflows.drift.DriftReport;
import dev.perennial.workflows.drift.FeatureDrift;
import dev.perennial.workflows.drift.QualityDrift;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.SequencedMap;

/**
 * The drift report of one monitoring window: the decision first, then the statistics table with
 * drifted features on top, online quality, and a reference-vs-current histogram per feature in the
 * table's order (each feature name in the table links to its histogram).
 *
 * <p>A row is marked critical when a feature the policy lists as critical has drifted; a critical
 * feature that held still is an ordinary row.
 */
public final class DriftReportPage {
  /**
   * Critical first, then drifted, then the rest; within each, largest PSI first (a missing PSI
   * last), then by name so the order never depends on the input's.
   */
  static final Comparator<FeatureDrift> ORDER =
      Comparator.comparingInt(DriftReportPage::rank)
          .thenComparing(
              FeatureDrift::psi, Comparator.nullsLast(Comparator.<Double>naturalOrder().reversed()))
          .thenComparing(FeatureDrift::feature);

  private DriftReportPage() {}

  /**
   * The page for one window.
   *
   * @throws IllegalArgumentException when a feature's bins and shares differ in number
   */
  public static HtmlPage page(DriftReport in) {
    List<FeatureDrift> features =
        in.features() == null ? List.of() : in.features().stream().sorted(ORDER).toList();
    features.forEach(DriftReportPage::checkBins);
    long drifted = features.stream().filter(FeatureDrift::drifted).count();
    long critical = features.stream().filter(DriftReportPage::critical).count();
    DriftDecision decision = in.decision();

    HtmlPage page = new HtmlPage("Drift report: " + in.model());
    page.subtitle(window(in));
    List<String> details =
        new ArrayList<>(decision.reasons() == null ? List.of() : decision.reasons());
    details.add(
        drifted
            + " of "
            + features.size()
            + " features drifted"
            + (critical == 0 ? "" : ", " + critical + " critical"));
    page.banner(tone(decision), "Decision: " + decision.verdict(), details);

    SequencedMap<String, String> facts = new LinkedHashMap<>();
    facts.put("model", in.model());
    facts.put("champion", in.champion() == null ? "none" : "v" + in.champion());
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
      FeatureDrift f = features.get(i);
      if (bins(f).isEmpty()) {
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
                  bins(f),
                  List.of(
                      new SvgCharts.Series("reference", shares(f.referenceShares())),
                      new SvgCharts.Series("current window", shares(f.currentShares()))))));
    }
    if (!figures.isEmpty()) {
      page.figures(figures);
    }
    if (!withoutHistogram.isEmpty()) {
      page.paragraph("No histogram for: " + String.join(", ", withoutHistogram) + ".");
    }
    return page;
  }

  private static int rank(FeatureDrift f) {
    return critical(f) ? 0 : f.drifted() ? 1 : 2;
  }

  private static boolean critical(FeatureDrift f) {
    return f.critical() && f.drifted();
  }

  /** BAD when the window breached (retraining is due), WARN when it could not be judged. */
  private static Tone tone(DriftDecision decision) {
    return switch (decision.verdict()) {
      case DRIFT -> Tone.BAD;
      case NO_DRIFT -> Tone.GOOD;
      case TOO_FEW_ROWS, NO_CHAMPION -> Tone.WARN;
    };
  }

  private static List<String> bins(FeatureDrift f) {
    return f.bins() == null ? List.of() : f.bins();
  }

  private static double[] shares(List<Double> values) {
    return values == null
        ? new double[0]
        : values.stream().mapToDouble(v -> v == null ? Double.NaN : v).toArray();
  }

  private static void checkBins(FeatureDrift f) {
    int bins = bins(f).size();
    int reference = f.referenceShares() == null ? 0 : f.referenceShares().size();
    int current = f.currentShares() == null ? 0 : f.currentShares().size();
    if (reference != bins || current != bins) {
      throw new IllegalArgumentException(
          f.feature()
              + ": "
              + bins
              + " bins but "
              + reference
              + " reference and "
              + current
              + " current shares");
    }
  }

  private static String window(DriftReport in) {
    return (in.from() == null ? "?" : in.from()) + " \u2192 " + (in.to() == null ? "?" : in.to());
  }

  /** Figure ids from positions, never from names: names come from users and ids are not escaped. */
  private static String anchor(int index) {
    return "feature-" + index;
  }

  private static ReportTable statistics(List<FeatureDrift> features) {
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
      FeatureDrift f = features.get(i);
      Tone tone = critical(f) ? Tone.BAD : f.drifted() ? Tone.WARN : null;
      table.row(
          tone,
          List.of(
              bins(f).isEmpty() ? Cell.text(f.feature()) : Cell.link(f.feature(), anchor(i)),
              Cell.text(f.type() == null ? Decimals.NONE : f.type()),
              Cell.text(Decimals.count(f.count())),
              Cell.text(Decimals.percent(f.missingRate(), 1)),
              Cell.text(Decimals.fixed(f.psi(), 3)),
              Cell.text(Decimals.fixed(f.ks(), 3)),
              Cell.text(Decimals.pValue(f.ksPValue())),
              Cell.text(Decimals.fixed(f.chiSquare(), 1)),
              Cell.text(Decimals.pValue(f.chiSquarePValue())),
              Cell.text(Decimals.fixed(f.jsDistance(), 3)),
              Cell.text(wasserstein(f)),
              Cell.text(status(f)),
              Cell.text(f.finding() == null ? "" : f.finding())));
    }
    return table;
  }

  /**
   * The Wasserstein distance with its error bound: it is streamed against the training quantile
   * sketch, and on heavy tails the figure alone can be several times the exact distance.
   */
  private static String wasserstein(FeatureDrift f) {
    String figure = Decimals.fixed(f.wasserstein(), 3);
    if (f.wasserstein() == null || f.wassersteinErrorBound() == null) {
      return figure;
    }
    return figure + " \u00b1 " + Decimals.fixed(f.wassersteinErrorBound(), 3);
  }

  private static String status(FeatureDrift f) {
    return critical(f) ? "critical" : f.drifted() ? "drifted" : "ok";
  }

  private static String note(FeatureDrift f) {
    StringBuilder note = new StringBuilder(f.type() == null ? "" : f.type());
    if (f.psi() != null) {
      note.append(note.isEmpty() ? "" : " \u00b7 ")
          .append("PSI ")
          .append(Decimals.fixed(f.psi(), 3));
    }
    if (f.drifted()) {
      note.append(note.isEmpty() ? "" : " \u00b7 ").append(status(f));
    }
    return note.toString();
  }

  private static void quality(HtmlPage page, QualityDrift q) {
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
