package dev.perennial.core.report;

import static dev.perennial.core.report.HtmlPageTest.count;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perennial.workflows.drift.DriftDecision;
import dev.perennial.workflows.drift.DriftReport;
import dev.perennial.workflows.drift.DriftVerdict;
import dev.perennial.workflows.drift.FeatureDrift;
import dev.perennial.workflows.drift.QualityDrift;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The drift page on a window of 20 features, some drifted, one critical, one named by an attacker.
 */
class DriftReportPageTest {
  static final String HOSTILE = "<script>alert(\"drift\")</script>";

  /**
   * 20 features: f01..f14 numeric and stable (PSI 0.01..0.14), f15..f17 categorical and stable,
   * drifted: "income" (PSI 0.31) and the hostile name (PSI 0.22), critical: "age" (PSI 0.80).
   * "notes_length" has no histogram. 20 = 14 + 3 + 2 + 1, with notes_length one of the 14.
   */
  static List<FeatureDrift> features() {
    List<FeatureDrift> rows = new ArrayList<>();
    for (int i = 1; i <= 13; i++) {
      rows.add(numeric(String.format("f%02d", i), i / 100.0, 0, false, false, null));
    }
    rows.add(
        new FeatureDrift(
            "notes_length",
            "NUMERIC",
            9500,
            0.05,
            0.04,
            0.14,
            0.02,
            0.61,
            null,
            null,
            0.03,
            0.4,
            0.05,
            false,
            false,
            "too few distinct values for bins",
            List.of(),
            List.of(),
            List.of()));
    for (int i = 15; i <= 17; i++) {
      rows.add(categorical(String.format("f%02d", i), 0.005 * i, false));
    }
    rows.add(numeric("income", 0.31, 1.2, true, false, "mean moved from 41k to 48k"));
    rows.add(categoricalNamed(HOSTILE, 0.22, true));
    rows.add(numeric("age", 0.80, 3, true, true, "most of the window is over 60"));
    return rows;
  }

  static FeatureDrift numeric(
      String name, double psi, double shift, boolean drifted, boolean critical, String finding) {
    List<String> bins = new ArrayList<>();
    for (int b = 0; b < 10; b++) {
      bins.add(String.format(java.util.Locale.ROOT, "[%d, %d)", b * 10, (b + 1) * 10));
    }
    return new FeatureDrift(
        name,
        "NUMERIC",
        10_000,
        0.012,
        0.01,
        psi,
        0.04 + psi / 4,
        drifted ? 1.3e-12 : 0.42,
        null,
        null,
        psi / 3,
        shift * 2.5,
        shift / 10,
        drifted,
        critical,
        finding,
        bins,
        bell(10, 4.5, 2),
        bell(10, 4.5 + shift, 2 + shift / 4));
  }

  static FeatureDrift categorical(String name, double psi, boolean drifted) {
    return categoricalNamed(name, psi, drifted);
  }

  static FeatureDrift categoricalNamed(String name, double psi, boolean drifted) {
    List<String> categories =
        List.of("north", "south", "east", "west", "<b>unknown</b>", "a category with a long name");
    List<Double> reference = List.of(0.3, 0.25, 0.2, 0.15, 0.05, 0.05);
    List<Double> current = drifted ? List.of(0.15, 0.2, 0.2, 0.15, 0.25, 0.05) : reference;
    return new FeatureDrift(
        name,
        "CATEGORICAL",
        10_000,
        0.0,
        0.0,
        psi,
        null,
        null,
        drifted ? 412.7 : 3.2,
        drifted ? 0.0 : 0.67,
        psi / 2,
        null,
        null,
        drifted,
        false,
        drifted ? "new category <b>unknown</b> took 25 %" : null,
        categories,
        reference,
        current);
  }

  /** Shares of a discretized bell curve, normalized to 1. */
  static List<Double> bell(int bins, double mean, double sd) {
    double[] shares = new double[bins];
    double sum = 0;
    for (int b = 0; b < bins; b++) {
      shares[b] = Math.exp(-Math.pow(b - mean, 2) / (2 * sd * sd));
      sum += shares[b];
    }
    List<Double> normalized = new ArrayList<>();
    for (int b = 0; b < bins; b++) {
      normalized.add(shares[b] / sum);
    }
    return normalized;
  }

  static DriftReport window(List<FeatureDrift> features) {
    return new DriftReport(
        "credit-default",
        3,
        "2026-01-08T00:00:00Z",
        "2026-01-09T00:00:00Z",
        10_000,
        0,
        features,
        new QualityDrift(
            812, 0.4123, 0.01, 0.7712, 0.3801, null, true, "log loss 0.032 above the reference"),
        new DriftDecision(
            DriftVerdict.DRIFT,
            List.of("age is critical (PSI 0.800 > 0.5)", "2 more features drifted (PSI > 0.2)"),
            3,
            20),
        null,
        null);
  }

  @Test
  void statisticsTableListsCriticalThenDriftedThenTheRestByPsi() {
    String html = DriftReportPage.page(window(features())).render();

    List<String[]> rows = tableRows(html);
    assertThat(rows).hasSize(20);
    assertThat(rows.stream().map(r -> r[1]).toList())
        .containsExactly(
            "age",
            "income",
            HtmlPage.escape(HOSTILE),
            "notes_length",
            "f13", // PSI 0.13
            "f12",
            "f11",
            "f10",
            "f09", // 0.09
            "f17", // 0.085
            "f08", // 0.08, the same as f16: by name
            "f16",
            "f15", // 0.075
            "f07", // 0.07
            "f06",
            "f05",
            "f04",
            "f03",
            "f02",
            "f01");
    assertThat(rows.stream().map(r -> r[0]).toList())
        .startsWith("bad", "warn", "warn", "")
        .containsOnlyOnce("bad")
        .filteredOn("warn"::equals)
        .hasSize(2);
  }

  @Test
  void eachFeatureWithBinsHasAHistogramLinkedFromTheTable() {
    String html = DriftReportPage.page(window(features())).render();

    assertThat(count(html, "aria-label=\"histogram of ")).isEqualTo(19);
    for (String[] row : tableRows(html)) {
      if (row[1].equals("notes_length")) {
        assertThat(row[2]).isNull();
        continue;
      }
      assertThat(row[2]).as(row[1]).isNotNull();
      assertThat(html)
          .contains(
              "<figure id=\"" + row[2] + "\"><figcaption><div class=\"name\">" + row[1] + "</div>");
    }
    assertThat(html).contains("No histogram for: notes_length.");
    // The critical feature's figure comes first, as in the table.
    assertThat(html.indexOf("id=\"feature-0\"")).isLessThan(html.indexOf("id=\"feature-1\""));
    assertThat(html).contains("<div class=\"note\">NUMERIC \u00b7 PSI 0.800 \u00b7 critical</div>");
  }

  @Test
  void decisionComesFirstColouredByItsTone() {
    String html = DriftReportPage.page(window(features())).render();

    assertThat(html.indexOf("class=\"banner bad\"")).isLessThan(html.indexOf("<table"));
    assertThat(html)
        .contains(
            "<div class=\"headline\">Decision: DRIFT</div><ul>"
                + "<li>age is critical (PSI 0.800 &gt; 0.5)</li>"
                + "<li>2 more features drifted (PSI &gt; 0.2)</li>"
                + "<li>3 of 20 features drifted, 1 critical</li></ul>");
    assertThat(html).contains("<dt>champion</dt><dd>v3</dd>", "<dd>10,000</dd>");
  }

  @Test
  void onlineQualityShowsMissingNumbersAsADash() {
    String html = DriftReportPage.page(window(features())).render();

    assertThat(html)
        .contains(
            "<tr><td>log loss</td><td class=\"num\">0.4123</td><td class=\"num\">0.3801</td>"
                + "<td class=\"num\">+0.0322</td></tr>",
            "<tr><td>AUC</td><td class=\"num\">0.7712</td><td class=\"num\">\u2013</td>"
                + "<td class=\"num\">\u2013</td></tr>",
            "<td>feedback labels</td><td class=\"num\">812</td>",
            "<p>log loss 0.032 above the reference</p>");

    DriftReport none =
        new DriftReport(
            "m",
            null,
            "a",
            "b",
            0,
            0,
            features(),
            null,
            new DriftDecision(DriftVerdict.NO_DRIFT, null, 0, 20),
            null,
            null);
    assertThat(DriftReportPage.page(none).render())
        .contains("No online quality for this window: no feedback labels arrived.")
        .contains("<dt>champion</dt><dd>none</dd>", "class=\"banner good\"");
  }

  @Test
  void namesFindingsAndBinLabelsFromUsersAreEscaped() {
    String html = DriftReportPage.page(window(features())).render();

    assertThat(html).doesNotContain("<script", "<b>");
    assertThat(html)
        .contains(
            "&lt;script&gt;alert(&quot;drift&quot;)&lt;/script&gt;",
            "new category &lt;b&gt;unknown&lt;/b&gt; took 25 %",
            ">&lt;b&gt;unknown&lt;/b&gt;</text>");
  }

  @Test
  void sameWindowSameBytesWhateverTheInputOrder() throws Exception {
    List<FeatureDrift> shuffled = new ArrayList<>(features());
    Collections.shuffle(shuffled, new Random(5));
    byte[] page = DriftReportPage.page(window(features())).toBytes();

    assertThat(DriftReportPage.page(window(shuffled)).toBytes()).isEqualTo(page);
    ReportSamples.write("drift-report.html", DriftReportPage.page(window(features())));
  }

  /** {tone class or "", feature cell text, linked anchor or null} per statistics row. */
  static List<String[]> tableRows(String html) {
    String table = html.substring(html.indexOf("<h2>Feature statistics</h2>"));
    table = table.substring(table.indexOf("<tbody>"), table.indexOf("</tbody>"));
    Matcher m =
        Pattern.compile("<tr(?: class=\"(\\w+)\")?><td>(?:<a href=\"#([a-z0-9-]+)\">)?([^<]*)")
            .matcher(table);
    List<String[]> rows = new ArrayList<>();
    while (m.find()) {
      rows.add(new String[] {m.group(1) == null ? "" : m.group(1), m.group(3), m.group(2)});
    }
    return rows;
  }

  @Test
  void aFeatureWhoseSharesDoNotMatchItsBinsIsRefusedByName() {
    List<FeatureDrift> broken = new ArrayList<>(features());
    FeatureDrift income = numeric("income", 0.31, 1.2, true, false, null);
    broken.set(
        broken.size() - 3,
        new FeatureDrift(
            income.feature(),
            income.type(),
            income.count(),
            income.missingRate(),
            income.referenceMissingRate(),
            income.psi(),
            income.ks(),
            income.ksPValue(),
            null,
            null,
            income.jsDistance(),
            income.wasserstein(),
            income.wassersteinErrorBound(),
            true,
            false,
            null,
            income.bins(),
            income.referenceShares().subList(0, 9),
            income.currentShares()));

    assertThatThrownBy(() -> DriftReportPage.page(window(broken)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("income: 10 bins but 9 reference and 10 current shares");
  }

  @Test
  void fixtureHasTwentyFeatures() {
    assertThat(features()).hasSize(20);
    assertThat(IntStream.range(0, 20).mapToObj(i -> features().get(i).feature()).distinct())
        .hasSize(20);
  }

  @Test
  void wassersteinIsShownWithItsErrorBound() {
    String html = DriftReportPage.page(window(features())).render();
    // notes_length: 0.4 within 0.05 of the exact distance; categorical features have none.
    assertThat(html).contains(">0.400 \u00b1 0.050<");
    FeatureDrift legacy =
        new FeatureDrift(
            "old", "NUMERIC", 10, 0, 0, 0.1, 0.1, 0.5, null, null, 0.1, 0.25, null, false, false,
            null, List.of(), List.of(), List.of());
    assertThat(DriftReportPage.page(window(List.of(legacy))).render())
        .contains(">0.250<")
        .doesNotContain("0.250 \u00b1");
  }
}
