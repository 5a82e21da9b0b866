package dev.perennial.starter.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** A plain-text table with columns sized to their content. */
public final class TextTable {
  private final List<String[]> rows = new ArrayList<>();
  private final int columns;

  public TextTable(String... header) {
    this.columns = header.length;
    rows.add(header);
  }

  public TextTable row(Object... cells) {
    if (cells.length != columns) {
      throw new IllegalArgumentException("expected " + columns + " cells, got " + cells.length);
    }
    String[] r = new String[columns];
    for (int i = 0; i < columns; i++) {
      r[i] = cells[i] == null ? "-" : cells[i].toString();
    }
    rows.add(r);
    return this;
  }

  public void print(PrintWriter out) {
    int[] width = new int[columns];
    for (String[] r : rows) {
      for (int i = 0; i < columns; i++) {
        width[i] = Math.max(width[i], r[i].length());
      }
    }
    for (int n = 0; n < rows.size(); n++) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < columns; i++) {
        String cell = rows.get(n)[i];
        line.append(cell).append(" ".repeat(width[i] - cell.length()));
        if (i < columns - 1) {
          line.append("  ");
        }
      }
      out.println(line.toString().stripTrailing());
      if (n == 0) {
        int total = 0;
        for (int w : width) {
          total += w + 2;
        }
        out.println("-".repeat(Math.max(0, total - 2)));
      }
    }
    out.flush();
  }
}
