package dev.perennial.core.report;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SequencedMap;
import java.util.regex.Pattern;

/**
 * One self-contained HTML report: inline CSS, inline SVG, no scripts and nothing fetched, so it
 * renders the same when opened straight from S3 or MinIO on a machine without network access.
 *
 * <p>Every String handed to a page is escaped; only {@link Svg} from {@link SvgCharts} goes in as
 * markup. The output carries no timestamp, so the same calls give the same bytes and an activity
 * retried after a crash rewrites an identical object.
 */
public final class HtmlPage {
  private static final Pattern ANCHOR = Pattern.compile("[a-z][a-z0-9-]*");

  private static final String STYLE =
      """
      :root{color-scheme:light}
      *{box-sizing:border-box}
      body{margin:0;background:#fff;color:#1f2328;\
      font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
      main{max-width:1240px;margin:0 auto;padding:24px 32px 48px}
      h1{font-size:22px;margin:0 0 2px}
      .subtitle{color:#59636e;margin:0 0 16px}
      h2{font-size:17px;margin:28px 0 10px;padding-bottom:4px;border-bottom:1px solid #d1d9e0}
      p{margin:6px 0 10px;max-width:80ch}
      .banner{border-left:6px solid;border-radius:6px;padding:10px 16px;margin:16px 0}
      .banner .headline{font-size:17px;font-weight:600}
      .banner ul{margin:6px 0 2px;padding-left:20px}
      .banner.good{background:#dafbe1;border-color:#1a7f37}
      .banner.warn{background:#fff8c5;border-color:#9a6700}
      .banner.bad{background:#ffebe9;border-color:#cf222e}
      .banner.neutral{background:#f6f8fa;border-color:#59636e}
      dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:3px 18px;margin:8px 0}
      dl.facts dt{color:#59636e}
      dl.facts dd{margin:0;overflow-wrap:anywhere}
      .table-wrap{overflow-x:auto;margin:8px 0}
      table{border-collapse:collapse;font-size:13px;font-variant-numeric:tabular-nums}
      th,td{padding:4px 7px;border-bottom:1px solid #d1d9e0;text-align:left;vertical-align:top}
      th{background:#f6f8fa;font-weight:600;white-space:nowrap}
      th.num,td.num{text-align:right;white-space:nowrap}
      tr.bad>td{background:#ffebe9}
      tr.warn>td{background:#fff8c5}
      tr.good>td{background:#dafbe1}
      td.bad{color:#cf222e;font-weight:600}
      td.warn{color:#9a6700;font-weight:600}
      td.good{color:#1a7f37;font-weight:600}
      a{color:#0969da;text-decoration:none}
      a:hover{text-decoration:underline}
      .figures{display:flex;flex-wrap:wrap;gap:16px;margin:8px 0}
      figure{margin:0;padding:8px 10px;border:1px solid #d1d9e0;border-radius:6px}
      figcaption{margin-bottom:4px}
      figcaption .name{font-weight:600;overflow-wrap:anywhere}
      figcaption .note{color:#59636e;font-size:12px}
      svg{display:block;font-family:inherit}
      @media print{main{max-width:none;padding:0}figure{break-inside:avoid}}
      """;

  private final String title;
  private final StringBuilder body = new StringBuilder();
  private boolean inSection;

  /** A page whose {@code <title>} and heading are {@code title}. */
  public HtmlPage(String title) {
    this.title = Objects.requireNonNull(title, "title");
    body.append("<h1>").append(escape(title)).append("</h1>\n");
  }

  /**
   * Escapes text for HTML element content and quoted attribute values: {@code & < > " '}. Null
   * becomes the empty string.
   */
  public static String escape(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  /** A grey line under the title. */
  public HtmlPage subtitle(String text) {
    body.append("<p class=\"subtitle\">").append(escape(text)).append("</p>\n");
    return this;
  }

  /** A coloured box with a headline and, when there are any, details as a list. */
  public HtmlPage banner(Tone tone, String headline, List<String> details) {
    body.append("<div class=\"banner ")
        .append(tone.cssClass())
        .append("\" role=\"status\"><div class=\"headline\">")
        .append(escape(headline))
        .append("</div>");
    if (!details.isEmpty()) {
      body.append("<ul>");
      for (String d : details) {
        body.append("<li>").append(escape(d)).append("</li>");
      }
      body.append("</ul>");
    }
    body.append("</div>\n");
    return this;
  }

  /** Label/value pairs in the map's order. */
  public HtmlPage facts(SequencedMap<String, String> facts) {
    body.append("<dl class=\"facts\">");
    for (Map.Entry<String, String> e : facts.entrySet()) {
      body.append("<dt>")
          .append(escape(e.getKey()))
          .append("</dt><dd>")
          .append(e.getValue() == null ? Decimals.NONE : escape(e.getValue()))
          .append("</dd>");
    }
    body.append("</dl>\n");
    return this;
  }

  /** Starts a section with a heading; what follows belongs to it until the next section. */
  public HtmlPage section(String heading) {
    closeSection();
    body.append("<section>\n<h2>").append(escape(heading)).append("</h2>\n");
    inSection = true;
    return this;
  }

  /** A paragraph of plain text. */
  public HtmlPage paragraph(String text) {
    body.append("<p>").append(escape(text)).append("</p>\n");
    return this;
  }

  /** A table; wide ones scroll sideways instead of widening the page. */
  public HtmlPage table(ReportTable table) {
    body.append("<div class=\"table-wrap\">");
    table.renderTo(body);
    body.append("</div>\n");
    return this;
  }

  /** Charts side by side, wrapping to the next line when the page is too narrow. */
  public HtmlPage figures(List<Figure> figures) {
    body.append("<div class=\"figures\">\n");
    for (Figure f : figures) {
      body.append("<figure");
      if (f.anchor() != null) {
        body.append(" id=\"").append(f.anchor()).append('"');
      }
      body.append("><figcaption><div class=\"name\">").append(escape(f.caption())).append("</div>");
      if (f.note() != null && !f.note().isEmpty()) {
        body.append("<div class=\"note\">").append(escape(f.note())).append("</div>");
      }
      body.append("</figcaption>\n").append(f.chart().markup()).append("\n</figure>\n");
    }
    body.append("</div>\n");
    return this;
  }

  /** The whole document. */
  public String render() {
    closeSection();
    String html =
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            + "<title>"
            + escape(title)
            + "</title>\n<style>\n"
            + STYLE
            + "</style>\n</head>\n<body>\n<main>\n"
            + body
            + "</main>\n</body>\n</html>\n";
    return html;
  }

  /** The document as UTF-8, ready to store with content type {@code text/html; charset=utf-8}. */
  public byte[] toBytes() {
    return render().getBytes(StandardCharsets.UTF_8);
  }

  /** Anchors are written unescaped into id attributes and links, so they must be plain. */
  static void checkAnchor(String anchor) {
    if (!ANCHOR.matcher(anchor).matches()) {
      throw new IllegalArgumentException("anchor must match " + ANCHOR + ": " + anchor);
    }
  }

  private void closeSection() {
    if (inSection) {
      body.append("</section>\n");
      inSection = false;
    }
  }

  /**
   * One chart with its caption.
   *
   * @param anchor the figure's id for links from tables ({@code [a-z][a-z0-9-]*}), or null
   * @param caption the chart's name, shown bold
   * @param note a grey line under the caption, or null
   * @param chart the chart
   */
  public record Figure(String anchor, String caption, String note, Svg chart) {
    public Figure {
      Objects.requireNonNull(caption, "caption");
      Objects.requireNonNull(chart, "chart");
      if (anchor != null) {
        checkAnchor(anchor);
      }
    }
  }
}
