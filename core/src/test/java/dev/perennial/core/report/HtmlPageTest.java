package dev.perennial.core.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.SequencedMap;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The rendering kit: escaping, structure, charts and fixed number formatting. */
class HtmlPageTest {
  static final String HOSTILE = "<script>alert('x')</script>&\"";
  static final String ESCAPED = "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;&quot;";

  @Test
  void everyStringIsEscapedWhereverItGoes() {
    SequencedMap<String, String> facts = new LinkedHashMap<>();
    facts.put(HOSTILE, HOSTILE);
    String html =
        new HtmlPage(HOSTILE)
            .subtitle(HOSTILE)
            .banner(Tone.BAD, HOSTILE, List.of(HOSTILE))
            .facts(facts)
            .section(HOSTILE)
            .paragraph(HOSTILE)
            .table(
                new ReportTable(List.of(HOSTILE))
                    .row(Tone.WARN, HOSTILE)
                    .row(null, List.of(ReportTable.Cell.link(HOSTILE, "feature-0"))))
            .figures(
                List.of(
                    new HtmlPage.Figure(
                        "feature-0",
                        HOSTILE,
                        HOSTILE,
                        SvgCharts.histogram(
                            HOSTILE,
                            List.of(HOSTILE, "b"),
                            List.of(new SvgCharts.Series(HOSTILE, new double[] {0.5, 0.5}))))))
            .render();

    assertThat(html).doesNotContain("<script").doesNotContain("alert('x')");
    // title, h1, subtitle, banner headline + detail, fact label + value, h2, paragraph, header,
    // two cells, caption, note: 14 in HTML; in the chart the aria-label, the first bin's tooltip
    // (bin and series name), the second bin's (series name), the legend and the x label: 6. The
    // bin label under the axis is shortened, so it is not one.
    assertThat(count(html, ESCAPED)).isEqualTo(14 + 6);
  }

  @Test
  void anchorsAreNeverUserText() {
    assertThatThrownBy(() -> ReportTable.Cell.link("x", "\" onclick=\"x"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                new HtmlPage.Figure(
                    "a b", "c", null, SvgCharts.confusionMatrix(new long[][] {{1, 2}, {3, 4}})))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aPageIsOneSelfContainedDocumentWithoutScriptsOrFetches() {
    String html =
        new HtmlPage("t")
            .section("one")
            .paragraph("p")
            .section("two")
            .table(new ReportTable(List.of("a", "b")).numeric(1).row(Tone.BAD, "x", "1"))
            .render();

    assertThat(html).startsWith("<!DOCTYPE html>\n<html lang=\"en\">").endsWith("</html>\n");
    assertThat(html).contains("<meta charset=\"utf-8\">", "<style>");
    assertThat(html).doesNotContain("<script", "<link", "src=", "http://", "https://", "@import");
    assertThat(count(html, "<section>")).isEqualTo(2);
    assertThat(count(html, "</section>")).isEqualTo(2);
    assertThat(html).contains("<tr class=\"bad\"><td>x</td><td class=\"num\">1</td></tr>");
  }

  @Test
  void tableRowsMustFitTheColumns() {
    ReportTable table = new ReportTable(List.of("a", "b"));
    assertThatThrownBy(() -> table.row(null, "only one"))
        .hasMessage("1 cells in a table of 2 columns");
  }

  @Test
  void histogramHasABarPerBinAndSeriesAxesAndALegend() {
    String svg =
        SvgCharts.histogram(
                "income",
                List.of("<10k", "10k-20k", "20k-50k", ">50k"),
                List.of(
                    new SvgCharts.Series("reference", new double[] {0.1, 0.2, 0.3, 0.4}),
                    new SvgCharts.Series("current window", new double[] {0.4, 0.3, 0.2, 0.1})))
            .markup();

    // 8 bars plus 2 legend swatches.
    assertThat(count(svg, "<rect ")).isEqualTo(10);
    assertThat(svg).contains(">reference</text>", ">current window</text>", ">income</text>");
    assertThat(svg).contains(">share of rows</text>", ">&lt;10k</text>", ">&gt;50k</text>");
    // Largest share 40 %: ticks 0, 10, ... 40 % (step 10 for about five ticks).
    assertThat(svg).contains(">0%</text>", ">10%</text>", ">40%</text>").doesNotContain(">50%<");
    // The tallest bar spans the whole plot height (190 px).
    assertThat(svg).contains("height=\"190.0\"");
  }

  @Test
  void longBinLabelsAreShortenedWithTheFullLabelInTheTooltip() {
    String longLabel = "a category with a very long name";
    String svg =
        SvgCharts.histogram(
                "c",
                List.of(longLabel, "b"),
                List.of(new SvgCharts.Series("reference", new double[] {0.5, 0.5})))
            .markup();
    // Two bins leave room for 16 upright characters: shortened, not slanted.
    assertThat(svg).contains(">a category with\u2026</text>").doesNotContain("rotate(-40");
    assertThat(svg).contains("<title>" + longLabel + "\nreference: 50.0%</title>");
  }

  @Test
  void binLabelsTooWideForTheirBarsAreSlanted() {
    List<String> bins = new java.util.ArrayList<>();
    for (int b = 0; b < 20; b++) {
      bins.add("[" + b * 1000 + ", " + (b + 1) * 1000 + ")");
    }
    String svg =
        SvgCharts.histogram("c", bins, List.of(new SvgCharts.Series("reference", new double[20])))
            .markup();
    assertThat(count(svg, "rotate(-40")).isEqualTo(20);
  }

  @Test
  void rocChartDrawsEachCurveAndTheChanceDiagonal() {
    String svg =
        SvgCharts.rocCurves(
                List.of(
                    new SvgCharts.Curve(
                        "candidate (AUC 0.800)", new double[][] {{0, 0}, {0.2, 0.7}, {1, 1}}),
                    new SvgCharts.Curve("champion (AUC 0.750)", new double[][] {{0, 0}, {1, 1}})))
            .markup();

    assertThat(count(svg, "<polyline")).isEqualTo(2);
    // Plot is 340 px square from (56, 16): (0.2, 0.7) lands at x 56 + 68, y 356 - 238.
    assertThat(svg).contains("points=\"56.0,356.0 124.0,118.0 396.0,16.0\"");
    assertThat(svg).contains("stroke-dasharray=\"4 4\"><title>chance (AUC 0.5)</title>");
    assertThat(svg).contains(">candidate (AUC 0.800)</text>", ">champion (AUC 0.750)</text>");
    assertThat(svg).contains(">false positive rate</text>", ">true positive rate</text>");
  }

  @Test
  void confusionMatrixShowsEachCountInItsCell() {
    String svg = SvgCharts.confusionMatrix(new long[][] {{50, 10}, {5, 35}}).markup();

    assertThat(cell(svg, "true negatives")).isEqualTo("50");
    assertThat(cell(svg, "false positives")).isEqualTo("10");
    assertThat(cell(svg, "false negatives")).isEqualTo("5");
    assertThat(cell(svg, "true positives")).isEqualTo("35");
    assertThat(svg).contains(">50.0%</text>", ">35.0%</text>", ">actual 1</text>", ">predicted<");
  }

  @Test
  void numbersDoNotFollowTheWorkersLocale() {
    Locale before = Locale.getDefault();
    try {
      Locale.setDefault(Locale.GERMANY);
      assertThat(Decimals.fixed(0.5, 3)).isEqualTo("0.500");
      assertThat(Decimals.count(1234567)).isEqualTo("1,234,567");
      assertThat(Decimals.percent(0.1234, 1)).isEqualTo("12.3%");
      assertThat(Decimals.pValue(3.2e-9)).isEqualTo("3.2e-09");
    } finally {
      Locale.setDefault(before);
    }
    assertThat(Decimals.fixed(-0.00001, 3)).isEqualTo("0.000");
    assertThat(Decimals.fixed((Double) null, 3)).isEqualTo("\u2013");
    assertThat(Decimals.fixed(Double.NaN, 3)).isEqualTo("\u2013");
    assertThat(Decimals.signed(0.0123, 3)).isEqualTo("+0.012");
    assertThat(Decimals.signed(-0.0123, 3)).isEqualTo("-0.012");
    assertThat(Decimals.signed(0, 3)).isEqualTo("0.000");
  }

  @Test
  void niceTicksEndAtARoundNumberAboveTheMaximum() {
    assertThat(SvgCharts.niceTicks(0.4)).hasSize(5).startsWith(0.0).endsWith(0.4);
    assertThat(SvgCharts.niceTicks(0.37)).hasSize(5).endsWith(0.4);
    assertThat(SvgCharts.niceTicks(0.012)).endsWith(0.0125);
    assertThat(SvgCharts.niceTicks(1.0)).hasSize(6).endsWith(1.0);
  }

  /** The count printed in the matrix cell whose first line is {@code name}. */
  static String cell(String svg, String name) {
    var m = Pattern.compile(">" + name + "</text><text[^>]*>([0-9,]+)</text>").matcher(svg);
    assertThat(m.find()).as("cell " + name).isTrue();
    return m.group(1);
  }

  static int count(String text, String part) {
    int n = 0;
    for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + part.length())) {
      n++;
    }
    return n;
  }
}
