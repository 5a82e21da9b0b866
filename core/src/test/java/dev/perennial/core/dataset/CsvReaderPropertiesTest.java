package dev.perennial.core.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Properties of the CSV reader over seeded random input: each case names its seed, so a failure
 * reproduces by running that one seed.
 */
class CsvReaderPropertiesTest {
  private static final int TRIES = 300;

  /** Characters that matter to the grammar, weighted up, plus anything else. */
  private static final String HOSTILE = ",,,\"\"\"\n\n\r\r a1é\u0000\uFFFF\uD800";

  static String hostileText(Random random) {
    int length = random.nextInt(200);
    StringBuilder s = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      s.append(
          random.nextInt(4) == 0
              ? (char) random.nextInt(Character.MAX_VALUE + 1)
              : HOSTILE.charAt(random.nextInt(HOSTILE.length())));
    }
    return s.toString();
  }

  static List<String[]> readAll(String text) throws IOException {
    CsvReader reader = new CsvReader(new StringReader(text));
    List<String[]> records = new ArrayList<>();
    long lastLine = 0;
    for (String[] r = reader.next(); r != null; r = reader.next()) {
      assertThat(r).isNotEmpty();
      assertThat(reader.line()).isGreaterThan(lastLine);
      lastLine = reader.line();
      records.add(r);
      assertThat(records.size()).isLessThanOrEqualTo(text.length());
    }
    return records;
  }

  @Test
  void anyTextReadsToTheEndWithoutThrowing() throws IOException {
    for (int seed = 0; seed < TRIES; seed++) {
      String text = hostileText(new Random(seed));
      // Every record consumes at least one character, and the reader never fails on content.
      assertThat(readAll(text).size()).as("seed %d", seed).isLessThanOrEqualTo(text.length());
    }
  }

  /** A field as a writer following RFC 4180 would write it. */
  static String quoted(String field, Random random) {
    boolean needs =
        field.isEmpty()
            || field.indexOf(',') >= 0
            || field.indexOf('"') >= 0
            || field.indexOf('\n') >= 0
            || field.indexOf('\r') >= 0;
    return needs || random.nextBoolean() ? "\"" + field.replace("\"", "\"\"") + "\"" : field;
  }

  @Test
  void whatAWriterQuotesReadsBackAsWritten() throws IOException {
    for (int seed = 0; seed < TRIES; seed++) {
      Random random = new Random(seed);
      List<String[]> written = new ArrayList<>();
      StringBuilder text = new StringBuilder();
      int rows = 1 + random.nextInt(5);
      for (int r = 0; r < rows; r++) {
        String[] fields = new String[1 + random.nextInt(6)];
        for (int f = 0; f < fields.length; f++) {
          String raw = hostileText(random);
          fields[f] = raw.substring(0, Math.min(raw.length(), random.nextInt(12)));
        }
        written.add(fields);
        for (int f = 0; f < fields.length; f++) {
          text.append(f == 0 ? "" : ",").append(quoted(fields[f], random));
        }
        text.append(random.nextBoolean() ? "\r\n" : "\n");
      }
      List<String[]> read = readAll(text.toString());
      assertThat(read).as("seed %d: %s", seed, text).hasSameSizeAs(written);
      for (int r = 0; r < rows; r++) {
        assertThat(read.get(r)).as("seed %d row %d", seed, r).containsExactly(written.get(r));
      }
    }
  }
}
