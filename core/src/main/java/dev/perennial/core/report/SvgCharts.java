package dev.perennial.core.report;

import static dev.perennial.core.report.Decimals.coordinate;
import static dev.perennial.core.report.HtmlPage.escape;

import java.util.List;
import java.util.Objects;

/**
 * The few charts reports need, written as plain SVG by our own code: no script, no fonts or
 * libraries fetched, so a report opened from S3 on an offline machine looks the same. Sizes and
 * number formatting are fixed, so the same data always gives the same markup.
 */
public final class SvgCharts {
  /**
   * Series colours by position: blue, orange, green, red; distinguishable with most colour
   * blindness in the first two.
   */
  private static final List<String> PALETTE = List.of("#4c78a8", "#f58518", "#54a24b", "#e45756");

  private static final String AXIS = "#57606a";
  private static final String GRID = "#e6e9ed";
  private static final String TEXT = "#3d444d";
  private static final int LABEL_CHARS = 16;

  private SvgCharts() {}

  /**
   * A grouped bar chart of shares per bin, one bar per series in each bin: a feature's reference
   * and current distributions side by side. Values are shares of rows (0..1) and the y axis reads
   * in percent; long or many bin labels are slanted and shortened, with the full label in the bar's
   * tooltip.
   *
   * @param xLabel what the bins are, under the x axis
   * @param bins bin labels, one per value in every series
   * @param series the distributions; at most four
   */
  public static Svg histogram(String xLabel, List<String> bins, List<Series> series) {
    return bars(xLabel, "share of rows", bins, series, true);
  }

  /**
   * A grouped bar chart of values from 0 up, one bar per series in each bin, the y axis in plain
   * numbers: a metric per slice for candidate and champion side by side. Bins with NaN values show
   * no bar for that series; the tooltip says "n/a".
   *
   * @param xLabel what the bins are, under the x axis
   * @param yLabel what the values are, beside the y axis
   * @param bins bin labels, one per value in every series
   * @param series the values; at most four
   */
  public static Svg bars(String xLabel, String yLabel, List<String> bins, List<Series> series) {
    return bars(xLabel, yLabel, bins, series, false);
  }

  private static Svg bars(
      String xLabel, String yLabel, List<String> bins, List<Series> series, boolean shares) {
    if (series.isEmpty() || series.size() > PALETTE.size()) {
      throw new IllegalArgumentException(
          "1 to " + PALETTE.size() + " series, not " + series.size());
    }
    for (Series s : series) {
      if (s.values().length != bins.size()) {
        throw new IllegalArgumentException(
            "series "
                + s.name()
                + " has "
                + s.values().length
                + " values for "
                + bins.size()
                + " bins");
      }
    }
    int n = bins.size();
    int longest = bins.stream().mapToInt(b -> shorten(b).length()).max().orElse(0);
    double width = 540;
    double left = 56;
    double right = 12;
    double top = 30;
    double plotWidth = width - left - right;
    double band = n == 0 ? plotWidth : plotWidth / n;
    // Upright labels need about 6.5 px per character; otherwise slant them so they do not collide.
    boolean slanted = longest * 6.5 > band - 4;
    double labelDepth = slanted ? Math.min(LABEL_CHARS, longest) * 4.2 + 12 : 18;
    double bottom = labelDepth + 26;
    double plotHeight = 190;
    double height = top + plotHeight + bottom;
    int labelEvery = Math.max(1, (int) Math.ceil(14 / band)); // at most one label per 14 px

    double max = 0;
    for (Series s : series) {
      for (double v : s.values()) {
        if (v > max && Double.isFinite(v)) {
          max = v;
        }
      }
    }
    double[] ticks = niceTicks(Math.max(max, 0.01));
    double yMax = ticks[ticks.length - 1];

    StringBuilder svg = open(width, height, "histogram of " + xLabel);
    double y0 = top + plotHeight;
    for (double t : ticks) {
      double y = y0 - t / yMax * plotHeight;
      line(svg, left, y, left + plotWidth, y, t == 0 ? AXIS : GRID);
      text(
          svg,
          left - 6,
          y + 4,
          "end",
          0,
          shares ? Decimals.percent(t, percentDecimals(ticks)) : Decimals.fixed(t, 2));
    }
    line(svg, left, top, left, y0, AXIS);
    double groupWidth = band * 0.8;
    double barWidth = groupWidth / series.size();
    for (int b = 0; b < n; b++) {
      double x = left + b * band + (band - groupWidth) / 2;
      StringBuilder tip = new StringBuilder(bins.get(b));
      for (Series s : series) {
        double v = s.values()[b];
        tip.append('\n')
            .append(s.name())
            .append(": ")
            .append(
                !Double.isFinite(v)
                    ? "n/a"
                    : shares ? Decimals.percent(v, 1) : Decimals.fixed(v, 4));
      }
      svg.append("<g><title>").append(escape(tip.toString())).append("</title>");
      for (int k = 0; k < series.size(); k++) {
        double v = series.get(k).values()[b];
        double h = Double.isFinite(v) && v > 0 ? v / yMax * plotHeight : 0;
        svg.append("<rect x=\"")
            .append(coordinate(x + k * barWidth))
            .append("\" y=\"")
            .append(coordinate(y0 - h))
            .append("\" width=\"")
            .append(coordinate(Math.max(barWidth - 1, 0.5)))
            .append("\" height=\"")
            .append(coordinate(h))
            .append("\" fill=\"")
            .append(PALETTE.get(k))
            .append("\"/>");
      }
      svg.append("</g>\n");
      if (b % labelEvery == 0) {
        double cx = left + (b + 0.5) * band;
        if (slanted) {
          text(svg, cx + 3, y0 + 12, "end", -40, shorten(bins.get(b)));
        } else {
          text(svg, cx, y0 + 14, "middle", 0, shorten(bins.get(b)));
        }
      }
    }
    text(svg, left + plotWidth / 2, height - 8, "middle", 0, xLabel);
    axisTitleY(svg, 14, top + plotHeight / 2, yLabel);
    legend(svg, left, 14, series.stream().map(Series::name).toList());
    return close(svg);
  }

  /**
   * ROC curves on one pair of axes, with the diagonal of a model that guesses.
   *
   * @param curves each a name (put the AUC in it) and (false positive rate, true positive rate)
   *     points in order of decreasing threshold; at most four
   */
  public static Svg rocCurves(List<Curve> curves) {
    if (curves.isEmpty() || curves.size() > PALETTE.size()) {
      throw new IllegalArgumentException(
          "1 to " + PALETTE.size() + " curves, not " + curves.size());
    }
    double left = 56;
    double top = 16;
    double size = 340;
    double width = left + size + 16;
    double height = top + size + 48;
    double y0 = top + size;
    StringBuilder svg = open(width, height, "ROC curves");
    for (int i = 0; i <= 5; i++) {
      double t = i / 5.0;
      double x = left + t * size;
      double y = y0 - t * size;
      line(svg, x, top, x, y0, i == 0 ? AXIS : GRID);
      line(svg, left, y, left + size, y, i == 0 ? AXIS : GRID);
      text(svg, x, y0 + 15, "middle", 0, Decimals.fixed(t, 1));
      text(svg, left - 6, y + 4, "end", 0, Decimals.fixed(t, 1));
    }
    svg.append("<line x1=\"")
        .append(coordinate(left))
        .append("\" y1=\"")
        .append(coordinate(y0))
        .append("\" x2=\"")
        .append(coordinate(left + size))
        .append("\" y2=\"")
        .append(coordinate(top))
        .append("\" stroke=\"")
        .append(AXIS)
        .append("\" stroke-dasharray=\"4 4\"><title>chance (AUC 0.5)</title></line>\n");
    for (int k = 0; k < curves.size(); k++) {
      Curve c = curves.get(k);
      svg.append("<polyline fill=\"none\" stroke-width=\"2\" stroke-linejoin=\"round\" stroke=\"")
          .append(PALETTE.get(k))
          .append("\" points=\"");
      for (int i = 0; i < c.points().length; i++) {
        double[] p = c.points()[i];
        svg.append(i == 0 ? "" : " ")
            .append(coordinate(left + clamp(p[0]) * size))
            .append(',')
            .append(coordinate(y0 - clamp(p[1]) * size));
      }
      svg.append("\"><title>").append(escape(c.name())).append("</title></polyline>\n");
    }
    text(svg, left + size / 2, height - 10, "middle", 0, "false positive rate");
    axisTitleY(svg, 14, top + size / 2, "true positive rate");
    // Bottom right is the one corner a ROC curve above the diagonal leaves empty.
    double legendHeight = curves.size() * 18 + 18;
    legendBox(svg, left + size - 196, y0 - legendHeight - 6, 190, legendHeight);
    for (int k = 0; k < curves.size(); k++) {
      legendEntry(svg, left + size - 188, y0 - legendHeight + 8 + k * 18, k, curves.get(k).name());
    }
    svg.append("<line x1=\"")
        .append(coordinate(left + size - 188))
        .append("\" y1=\"")
        .append(coordinate(y0 - legendHeight + 8 + curves.size() * 18 - 4))
        .append("\" x2=\"")
        .append(coordinate(left + size - 174))
        .append("\" y2=\"")
        .append(coordinate(y0 - legendHeight + 8 + curves.size() * 18 - 4))
        .append("\" stroke=\"")
        .append(AXIS)
        .append("\" stroke-dasharray=\"4 4\"/>");
    text(
        svg,
        left + size - 168,
        y0 - legendHeight + 8 + curves.size() * 18,
        "start",
        0,
        "chance (AUC 0.5)");
    return close(svg);
  }

  /**
   * A confusion matrix as a 2 x 2 heat grid: cell darkness is the cell's share of all rows, and
   * each cell shows its count and that share.
   *
   * @param counts {@code {{true negatives, false positives}, {false negatives, true positives}}},
   *     rows actual 0/1, columns predicted 0/1, as {@code BinaryMetrics.confusion} returns it
   */
  public static Svg confusionMatrix(long[][] counts) {
    if (counts.length != 2 || counts[0].length != 2 || counts[1].length != 2) {
      throw new IllegalArgumentException("a confusion matrix is 2 x 2");
    }
    long total = counts[0][0] + counts[0][1] + counts[1][0] + counts[1][1];
    String[][] names = {
      {"true negatives", "false positives"}, {"false negatives", "true positives"}
    };
    double left = 92;
    double top = 40;
    double cell = 96;
    double width = left + 2 * cell + 12;
    double height = top + 2 * cell + 12;
    StringBuilder svg = open(width, height, "confusion matrix");
    text(svg, left + cell, 14, "middle", 0, "predicted");
    for (int c = 0; c < 2; c++) {
      text(svg, left + (c + 0.5) * cell, top - 8, "middle", 0, c == 0 ? "0" : "1");
    }
    for (int r = 0; r < 2; r++) {
      text(svg, left - 10, top + (r + 0.5) * cell + 4, "end", 0, r == 0 ? "actual 0" : "actual 1");
      for (int c = 0; c < 2; c++) {
        double share = total == 0 ? 0 : (double) counts[r][c] / total;
        // Darkness by share, with a floor so an empty cell still shows as a cell.
        double alpha = 0.06 + 0.84 * share;
        double x = left + c * cell;
        double y = top + r * cell;
        String ink = alpha > 0.5 ? "#ffffff" : "#1f2328";
        svg.append("<g><title>")
            .append(escape(names[r][c] + ": " + Decimals.count(counts[r][c])))
            .append("</title><rect x=\"")
            .append(coordinate(x))
            .append("\" y=\"")
            .append(coordinate(y))
            .append("\" width=\"")
            .append(coordinate(cell - 2))
            .append("\" height=\"")
            .append(coordinate(cell - 2))
            .append("\" fill=\"")
            .append(PALETTE.get(0))
            .append("\" fill-opacity=\"")
            .append(Decimals.fixed(alpha, 3))
            .append("\"/>");
        svg.append("<text x=\"")
            .append(coordinate(x + cell / 2 - 1))
            .append("\" y=\"")
            .append(coordinate(y + cell / 2 - 8))
            .append("\" text-anchor=\"middle\" font-size=\"11\" fill=\"")
            .append(ink)
            .append("\">")
            .append(escape(names[r][c]))
            .append("</text><text x=\"")
            .append(coordinate(x + cell / 2 - 1))
            .append("\" y=\"")
            .append(coordinate(y + cell / 2 + 10))
            .append("\" text-anchor=\"middle\" font-size=\"16\" font-weight=\"600\" fill=\"")
            .append(ink)
            .append("\">")
            .append(Decimals.count(counts[r][c]))
            .append("</text><text x=\"")
            .append(coordinate(x + cell / 2 - 1))
            .append("\" y=\"")
            .append(coordinate(y + cell / 2 + 26))
            .append("\" text-anchor=\"middle\" font-size=\"11\" fill=\"")
            .append(ink)
            .append("\">")
            .append(Decimals.percent(share, 1))
            .append("</text></g>\n");
      }
    }
    return close(svg);
  }

  /**
   * Tick values from 0 to a round number at or above {@code max}, 4 to 6 of them, steps of 1, 2,
   * 2.5 or 5 times a power of ten.
   */
  static double[] niceTicks(double max) {
    double rough = max / 5;
    double power = Math.pow(10, Math.floor(Math.log10(rough)));
    double step = 10 * power;
    for (double m : new double[] {1, 2, 2.5, 5}) {
      if (m * power >= rough) {
        step = m * power;
        break;
      }
    }
    int count = (int) Math.ceil(max / step - 1e-9);
    double[] ticks = new double[count + 1];
    for (int i = 0; i <= count; i++) {
      ticks[i] = i * step;
    }
    return ticks;
  }

  /** As few decimals as tell the ticks apart: steps of 10 %, 0.5 % and 0.25 % need 0, 1 and 2. */
  private static int percentDecimals(double[] ticks) {
    double step = ticks.length > 1 ? ticks[1] * 100 : 1;
    for (int decimals = 0; decimals < 3; decimals++) {
      double scaled = step * Math.pow(10, decimals);
      if (Math.abs(scaled - Math.rint(scaled)) < 1e-6) {
        return decimals;
      }
    }
    return 3;
  }

  private static double clamp(double v) {
    return Double.isNaN(v) ? 0 : Math.max(0, Math.min(1, v));
  }

  private static String shorten(String label) {
    if (label.length() <= LABEL_CHARS) {
      return label;
    }
    int end = LABEL_CHARS - 1;
    // Never cut between the two halves of a character outside the BMP (an emoji in a category).
    if (Character.isHighSurrogate(label.charAt(end - 1))) {
      end--;
    }
    return label.substring(0, end) + "\u2026";
  }

  private static StringBuilder open(double width, double height, String label) {
    return new StringBuilder()
        .append("<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"")
        .append(coordinate(width))
        .append("\" height=\"")
        .append(coordinate(height))
        .append("\" viewBox=\"0 0 ")
        .append(coordinate(width))
        .append(' ')
        .append(coordinate(height))
        .append("\" aria-label=\"")
        .append(escape(label))
        .append("\" font-size=\"11\" fill=\"")
        .append(TEXT)
        .append("\">\n");
  }

  private static Svg close(StringBuilder svg) {
    return new Svg(svg.append("</svg>").toString());
  }

  private static void line(
      StringBuilder svg, double x1, double y1, double x2, double y2, String c) {
    svg.append("<line x1=\"")
        .append(coordinate(x1))
        .append("\" y1=\"")
        .append(coordinate(y1))
        .append("\" x2=\"")
        .append(coordinate(x2))
        .append("\" y2=\"")
        .append(coordinate(y2))
        .append("\" stroke=\"")
        .append(c)
        .append("\"/>\n");
  }

  private static void text(
      StringBuilder svg, double x, double y, String anchor, int rotate, String text) {
    svg.append("<text x=\"")
        .append(coordinate(x))
        .append("\" y=\"")
        .append(coordinate(y))
        .append("\" text-anchor=\"")
        .append(anchor)
        .append('"');
    if (rotate != 0) {
      svg.append(" transform=\"rotate(")
          .append(rotate)
          .append(' ')
          .append(coordinate(x))
          .append(' ')
          .append(coordinate(y))
          .append(")\"");
    }
    svg.append('>').append(escape(text)).append("</text>\n");
  }

  private static void axisTitleY(StringBuilder svg, double x, double y, String title) {
    text(svg, x, y, "middle", -90, title);
  }

  private static void legend(StringBuilder svg, double x, double y, List<String> names) {
    double cursor = x;
    for (int k = 0; k < names.size(); k++) {
      legendEntry(svg, cursor, y, k, names.get(k));
      cursor += 28 + Math.min(names.get(k).length(), 40) * 6.2;
    }
  }

  private static void legendBox(StringBuilder svg, double x, double y, double w, double h) {
    svg.append("<rect x=\"")
        .append(coordinate(x))
        .append("\" y=\"")
        .append(coordinate(y))
        .append("\" width=\"")
        .append(coordinate(w))
        .append("\" height=\"")
        .append(coordinate(h))
        .append("\" rx=\"4\" fill=\"#ffffff\" fill-opacity=\"0.9\" stroke=\"")
        .append(GRID)
        .append("\"/>\n");
  }

  private static void legendEntry(StringBuilder svg, double x, double y, int k, String name) {
    svg.append("<rect x=\"")
        .append(coordinate(x))
        .append("\" y=\"")
        .append(coordinate(y - 9))
        .append("\" width=\"14\" height=\"10\" rx=\"2\" fill=\"")
        .append(PALETTE.get(k))
        .append("\"/>\n");
    text(svg, x + 20, y, "start", 0, name);
  }

  /**
   * Values of one bar series.
   *
   * @param name shown in the legend
   * @param values one per bin, shares of rows in 0..1; NaN draws no bar
   */
  public record Series(String name, double[] values) {
    public Series {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(values, "values");
    }
  }

  /**
   * One ROC curve.
   *
   * @param name shown in the legend and tooltip
   * @param points (false positive rate, true positive rate) pairs
   */
  public record Curve(String name, double[][] points) {
    public Curve {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(points, "points");
    }
  }
}
