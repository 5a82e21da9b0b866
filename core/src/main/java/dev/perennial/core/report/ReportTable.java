package dev.perennial.core.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A table for {@link HtmlPage}: a header row, then rows whose colour says which ones matter.
 * Numeric columns are right-aligned with tabular figures so values compare down a column.
 */
public final class ReportTable {
  private final List<String> headers;
  private final boolean[] numeric;
  private final List<Row> rows = new ArrayList<>();

  /** A table with these column headers. */
  public ReportTable(List<String> headers) {
    this.headers = List.copyOf(headers);
    this.numeric = new boolean[headers.size()];
  }

  /** Marks columns (0-based) as numbers: right-aligned, not wrapped. */
  public ReportTable numeric(int... columns) {
    for (int c : columns) {
      Objects.checkIndex(c, numeric.length);
      numeric[c] = true;
    }
    return this;
  }

  /** A row of plain text cells; {@code tone} null or {@link Tone#NEUTRAL} leaves it uncoloured. */
  public ReportTable row(Tone tone, String... cells) {
    return row(tone, Arrays.stream(cells).map(Cell::text).toList());
  }

  /** A row of cells; {@code tone} null or {@link Tone#NEUTRAL} leaves it uncoloured. */
  public ReportTable row(Tone tone, List<Cell> cells) {
    if (cells.size() != headers.size()) {
      throw new IllegalArgumentException(
          cells.size() + " cells in a table of " + headers.size() + " columns");
    }
    rows.add(new Row(tone, List.copyOf(cells)));
    return this;
  }

  void renderTo(StringBuilder out) {
    out.append("<table>\n<thead><tr>");
    for (int c = 0; c < headers.size(); c++) {
      out.append(numeric[c] ? "<th class=\"num\">" : "<th>")
          .append(HtmlPage.escape(headers.get(c)))
          .append("</th>");
    }
    out.append("</tr></thead>\n<tbody>\n");
    for (Row row : rows) {
      out.append(
          row.tone() == null || row.tone() == Tone.NEUTRAL
              ? "<tr>"
              : "<tr class=\"" + row.tone().cssClass() + "\">");
      for (int c = 0; c < headers.size(); c++) {
        Cell cell = row.cells().get(c);
        List<String> classes = new ArrayList<>(2);
        if (numeric[c]) {
          classes.add("num");
        }
        if (cell.tone() != null && cell.tone() != Tone.NEUTRAL) {
          classes.add(cell.tone().cssClass());
        }
        out.append(classes.isEmpty() ? "<td>" : "<td class=\"" + String.join(" ", classes) + "\">");
        String text = cell.text() == null ? Decimals.NONE : HtmlPage.escape(cell.text());
        if (cell.anchor() != null) {
          out.append("<a href=\"#").append(cell.anchor()).append("\">").append(text).append("</a>");
        } else {
          out.append(text);
        }
        out.append("</td>");
      }
      out.append("</tr>\n");
    }
    out.append("</tbody>\n</table>");
  }

  private record Row(Tone tone, List<Cell> cells) {}

  /**
   * One table cell.
   *
   * @param text the cell's text, escaped when rendered; null shows as a dash
   * @param anchor the id of a {@link HtmlPage.Figure} on the same page to link to, or null
   * @param tone colours the text alone (e.g. a difference that is better or worse), or null
   */
  public record Cell(String text, String anchor, Tone tone) {
    public Cell {
      if (anchor != null) {
        HtmlPage.checkAnchor(anchor);
      }
    }

    /** A plain text cell. */
    public static Cell text(String text) {
      return new Cell(text, null, null);
    }

    /** A cell linking to a figure on the page. */
    public static Cell link(String text, String anchor) {
      return new Cell(text, anchor, null);
    }

    /** A cell whose text is coloured. */
    public static Cell toned(String text, Tone tone) {
      return new Cell(text, null, tone);
    }
  }
}
