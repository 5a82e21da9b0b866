package dev.perennial.core.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The cell parser gives the very double {@code Double.parseDouble} gives, and fails as it does. */
class CellsTest {

  private static double parse(String s) {
    return Cells.parseDouble(s.toCharArray(), 0, s.length());
  }

  private static void sameAsParseDouble(String s) {
    assertThat(Double.doubleToRawLongBits(parse(s)))
        .as("'%s'", s)
        .isEqualTo(Double.doubleToRawLongBits(Double.parseDouble(s)));
  }

  @Test
  void plainAndUnusualNumbersParseToTheSameBits() {
    for (String s :
        new String[] {
          "0",
          "-0",
          "+0",
          "0.0",
          "-0.0",
          "1",
          "1.",
          ".5",
          "-.5",
          "+7.25",
          "007",
          "0.000123",
          "123456789012345",
          "1234567890123456",
          "12345678901234567890",
          "0.1",
          "0.3",
          "-98765.4321",
          "1.0000000000000000000001",
          "0.0000000000000000000001",
          "0.00000000000000000000001",
          "9007199254740993",
          "1e3",
          "-2.5E-3",
          "1d",
          "2f",
          "0x1p3",
          "NaN",
          "Infinity",
          "-Infinity",
          "4.9e-324",
          "1.7976931348623157e308"
        }) {
      sameAsParseDouble(s);
    }
  }

  @Test
  void randomDecimalsParseToTheSameBits() {
    for (int seed = 0; seed < 200; seed++) {
      Random random = new Random(seed);
      for (int k = 0; k < 500; k++) {
        StringBuilder s = new StringBuilder();
        if (random.nextInt(3) == 0) {
          s.append('-');
        }
        int whole = random.nextInt(12);
        for (int i = 0; i < whole; i++) {
          s.append((char) ('0' + random.nextInt(10)));
        }
        if (whole == 0 || random.nextBoolean()) {
          s.append('.');
          int fraction = 1 + random.nextInt(random.nextBoolean() ? 6 : 24);
          for (int i = 0; i < fraction; i++) {
            s.append((char) ('0' + random.nextInt(10)));
          }
        }
        sameAsParseDouble(s.toString());
      }
    }
  }

  @Test
  void whatParseDoubleRefusesIsRefused() {
    for (String s : new String[] {"-", "+", ".", "1.2.3", "12a", "1,5", "--1", "1-", "abc"}) {
      assertThatThrownBy(() -> parse(s)).as("'%s'", s).isInstanceOf(NumberFormatException.class);
      assertThatThrownBy(() -> Double.parseDouble(s)).isInstanceOf(NumberFormatException.class);
    }
  }

  @Test
  void aCellIsTrimmedAsStringTrimTrims() {
    String s = " \t 1.5\u0001 x \r ";
    char[] c = s.toCharArray();
    int from = Cells.trimStart(c, 0, c.length);
    int to = Cells.trimEnd(c, from, c.length);
    assertThat(new String(c, from, to - from)).isEqualTo(s.trim());
    char[] blank = "   ".toCharArray();
    int b = Cells.trimStart(blank, 0, blank.length);
    assertThat(Cells.trimEnd(blank, b, blank.length)).isEqualTo(b);
  }

  @Test
  void eachDistinctValueIsOneInstance() {
    Cells.Interned interned = new Cells.Interned();
    char[] row = "north,south,north,east".toCharArray();
    String north = interned.of(row, 0, 5);
    assertThat(north).isEqualTo("north");
    assertThat(interned.of(row, 12, 17)).isSameAs(north);
    assertThat(interned.of(row, 6, 11)).isEqualTo("south").isNotSameAs(north);
    // Past the table's first size: every value still found again as the same instance.
    String[] values = new String[1000];
    for (int i = 0; i < values.length; i++) {
      values[i] = interned.of("v" + i);
    }
    for (int i = 0; i < values.length; i++) {
      assertThat(interned.of(("v" + i).toCharArray(), 0, ("v" + i).length())).isSameAs(values[i]);
    }
    assertThat(interned.of("north")).isSameAs(north);
  }
}
