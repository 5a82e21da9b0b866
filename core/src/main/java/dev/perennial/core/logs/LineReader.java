package dev.perennial.core.logs;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Splits a stream into lines of raw bytes, one at a time, without decoding them: the JSON parser
 * reads UTF-8 bytes directly, so no per-line String is made.
 *
 * <p>Why not {@code BufferedReader.readLine}: a corrupt object can decompress to megabytes without
 * a newline, and readLine would hold all of it. Here a line longer than {@code maxBytes} is skipped
 * to its end and reported as {@link #oversized()}, so memory stays bounded by {@code maxBytes}
 * whatever the object holds.
 */
final class LineReader {
  private final InputStream in;
  private final int maxBytes;
  private final byte[] chunk = new byte[64 * 1024];
  private int position;
  private int limit;
  private byte[] line = new byte[1024];
  private int length;
  private boolean oversized;

  LineReader(InputStream in, int maxBytes) {
    this.in = in;
    this.maxBytes = maxBytes;
  }

  /**
   * Advances to the next line (a last line without a newline counts). Returns false at the end of
   * the stream.
   */
  boolean next() throws IOException {
    length = 0;
    oversized = false;
    boolean any = false;
    while (true) {
      if (position == limit) {
        int n = in.read(chunk);
        if (n <= 0) {
          position = 0;
          limit = 0;
          return any;
        }
        position = 0;
        limit = n;
      }
      any = true;
      int start = position;
      while (position < limit && chunk[position] != '\n') {
        position++;
      }
      append(start, position - start);
      if (position < limit) {
        position++; // the newline
        return true;
      }
    }
  }

  /** The current line's bytes, valid in {@code [0, length())} until the next call to next(). */
  byte[] bytes() {
    return line;
  }

  int length() {
    return length;
  }

  /** The current line was longer than the limit; its bytes were dropped. */
  boolean oversized() {
    return oversized;
  }

  /** Only spaces, tabs and carriage returns (or nothing): not an entry, not an error either. */
  boolean blank() {
    for (int i = 0; i < length; i++) {
      byte b = line[i];
      if (b != ' ' && b != '\t' && b != '\r') {
        return false;
      }
    }
    return !oversized;
  }

  private void append(int start, int count) {
    if (oversized) {
      return;
    }
    if (length + count > maxBytes) {
      oversized = true;
      length = 0;
      return;
    }
    if (length + count > line.length) {
      line = Arrays.copyOf(line, Math.min(maxBytes, Math.max(length + count, line.length * 2)));
    }
    System.arraycopy(chunk, start, line, length, count);
    length += count;
  }
}
