package dev.perennial.core.dataset;

import java.io.IOException;
import java.io.Reader;
import java.util.Arrays;

/**
 * A small RFC 4180 reader: comma-separated, double-quoted fields with doubled quotes inside, CRLF
 * or LF line ends, quoted fields may span lines. Reads through its own buffer (the data files are
 * large and the per-character cost matters).
 *
 * <p>{@link #nextRecord()} leaves the record's fields as ranges of one reused {@code char[]}
 * ({@link #chars()}, {@link #start(int)}, {@link #end(int)}), so a reader of millions of cells can
 * parse them without a {@code String} per cell; {@link #next()} gives them as strings.
 */
final class CsvReader {
  private final Reader in;
  private final char[] buffer = new char[1 << 16];
  private int pos;
  private int limit;
  private long line;
  private long nextLine = 1;

  /** The current record's unquoted field contents, one after another. */
  private char[] text = new char[256];

  private int length;

  /** Field {@code i} is {@code text[starts[i], ends[i])}. */
  private int[] starts = new int[32];

  private int[] ends = new int[32];
  private int fields;

  CsvReader(Reader in) {
    this.in = in;
  }

  /** The line number (1-based) where the record last returned by {@link #next()} started. */
  long line() {
    return line;
  }

  /** The line number (1-based) being read now: where a failing read stopped. */
  long position() {
    return nextLine;
  }

  /** The next record's fields, or null at the end of input. Blank lines are skipped. */
  String[] next() throws IOException {
    return nextRecord() ? record() : null;
  }

  /** The current record's fields as strings. */
  String[] record() {
    String[] record = new String[fields];
    for (int i = 0; i < fields; i++) {
      record[i] = field(i);
    }
    return record;
  }

  /** The current record's number of fields. */
  int fields() {
    return fields;
  }

  /** The characters the current record's fields are ranges of; valid until the next read. */
  char[] chars() {
    return text;
  }

  /** Where field {@code i} starts in {@link #chars()}. */
  int start(int i) {
    return starts[i];
  }

  /** Where field {@code i} ends (exclusive) in {@link #chars()}. */
  int end(int i) {
    return ends[i];
  }

  /** Field {@code i} of the current record as a string. */
  String field(int i) {
    return new String(text, starts[i], ends[i] - starts[i]);
  }

  /**
   * Reads the next record into {@link #chars()} and the field ranges: false at the end of input.
   * Blank lines are skipped.
   */
  boolean nextRecord() throws IOException {
    while (true) {
      int c = read();
      if (c < 0) {
        return false;
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
    length = 0;
    fields = 0;
    int fieldStart = 0;
    boolean quoted = false;
    boolean atFieldStart = true;
    while (true) {
      int c = read();
      if (c < 0) {
        endField(fieldStart);
        return true;
      }
      if (quoted) {
        if (c == '"') {
          int d = read();
          if (d == '"') {
            append('"');
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
          append((char) c);
        }
        continue;
      }
      if (c == '"' && atFieldStart) {
        quoted = true;
        atFieldStart = false;
      } else if (c == ',') {
        endField(fieldStart);
        fieldStart = length;
        atFieldStart = true;
      } else if (c == '\n') {
        nextLine++;
        endField(fieldStart);
        return true;
      } else if (c == '\r') {
        // CR of CRLF: the LF ends the record.
      } else {
        append((char) c);
        atFieldStart = false;
        copyUnquoted();
      }
    }
  }

  /**
   * Copies the rest of an unquoted field that is in the buffer, up to the comma or line end, in one
   * loop: what the loop above would do a character at a time (in an unquoted field every character
   * but those three is content).
   */
  private void copyUnquoted() {
    int p = pos;
    int end = limit;
    if (length + (end - p) > text.length) {
      text = Arrays.copyOf(text, Math.max(text.length * 2, length + (end - p)));
    }
    char[] b = buffer;
    char[] t = text;
    int n = length;
    while (p < end) {
      char ch = b[p];
      if (ch == ',' || ch == '\n' || ch == '\r') {
        break;
      }
      t[n++] = ch;
      p++;
    }
    pos = p;
    length = n;
  }

  private void append(char c) {
    if (length == text.length) {
      text = Arrays.copyOf(text, text.length * 2);
    }
    text[length++] = c;
  }

  private void endField(int start) {
    if (fields == starts.length) {
      starts = Arrays.copyOf(starts, fields * 2);
      ends = Arrays.copyOf(ends, fields * 2);
    }
    starts[fields] = start;
    ends[fields] = length;
    fields++;
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
