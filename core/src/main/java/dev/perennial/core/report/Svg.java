package dev.perennial.core.report;

/**
 * Markup of one SVG chart, made only by {@link SvgCharts}. A separate type, and not a String, so
 * {@link HtmlPage} can take it unescaped while every String it is handed is escaped: text from
 * users can never reach the page as markup by mistake.
 */
public final class Svg {
  private final String markup;

  Svg(String markup) {
    this.markup = markup;
  }

  /** The {@code <svg>} element as text. */
  public String markup() {
    return markup;
  }

  @Override
  public String toString() {
    return markup;
  }
}
