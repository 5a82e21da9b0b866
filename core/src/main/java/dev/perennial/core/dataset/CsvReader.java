package dev.perennial.core.dataset;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * A small RFC 4180 reader: comma-separated, double-quoted fields with doubled quotes inside, CRLF
 * or LF line ends, quoted fields may span lines. Reads through its own buffer (the data files are
 * large and the per-character cost matters).
 */
final class CsvReader {
  private final Reader in;
  private final char[] buffer = new char[1 << 16];
  private int pos;
  private int limit;
  private long line;
  private final StringBuilder field = new StringBuilder(64);

  CsvReader(Reader in) {
    this.in = in;
  }

  /** The line number (1-based) where the record last returned by {@link #next()} started. */
  long line() {
    return line;
  }

  private long nextLine = 1;

  /** The line number (1-based) being read now: where a failing read stopped. */
  long position() {
    return nextLine;
  }

  /** The next record's fields, or null at the end of input. Blank lines are skipped. */
  String[] next() throws IOException {
    List<String> fields = new ArrayList<>(24);
    while (true) {
      int c = read();
      if (c < 0) {
        return null;
      }
      if (c == '\n') {
        nextLine++;
        continue;
      }
      if (c == '\r') {
        continue;
      }
      line = nextLine;
      unread();
      break;
    }
    field.setLength(0);
    boolean quoted = false;
    boolean atFieldStart = true;
    while (true) {
      int c = read();
      if (c < 0) {
        fields.add(field.toString());
        return fields.toArray(new String[0]);
      }
      if (quoted) {
        if (c == '"') {
          int d = read();
          if (d == '"') {
            field.append('"');
          } else {
            quoted = false;
            if (d >= 0) {
              unread();
            }
          }
        } else {
          if (c == '\n') {
            nextLine++;
          }
          field.append((char) c);
        }
        continue;
      }
      if (c == '"' && atFieldStart) {
        quoted = true;
        atFieldStart = false;
      } else if (c == ',') {
        fields.add(field.toString());
        field.setLength(0);
        atFieldStart = true;
      } else if (c == '\n') {
        nextLine++;
        fields.add(field.toString());
        return fields.toArray(new String[0]);
      } else if (c == '\r') {
        // CR of CRLF: the LF ends the record.
      } else {
        field.append((char) c);
        atFieldStart = false;
      }
    }
  }

  private int read() throws IOException {
    if (pos == limit) {
      limit = in.read(buffer, 0, buffer.length);
      pos = 0;
      if (limit <= 0) {
        limit = 0;
        return -1;
      }
    }
    return buffer[pos++];
  }

  private void unread() {
    pos--;
  }
}
