package dev.perennial.dev.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perennial.core.data.FeatureSchema;
import dev.perennial.core.data.FeatureSpec;
import dev.perennial.core.data.FeatureType;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CreditDefaultGeneratorTest {
  private static final LocalDate DAY = LocalDate.of(2026, 3, 1);
  private final CreditDefaultGenerator generator = new CreditDefaultGenerator();

  private List<String[]> rows(GeneratorSpec spec, LocalDate day) throws IOException {
    StringWriter out = new StringWriter();
    generator.writeDay(out, day, spec);
    return out.toString().lines().map(l -> l.split(",", -1)).toList();
  }

  private static double mean(List<String[]> rows, int column) {
    return rows.stream()
        .skip(1)
        .map(r -> r[column])
        .filter(c -> !c.isEmpty())
        .mapToDouble(Double::parseDouble)
        .average()
        .orElseThrow();
  }

  private static double share(List<String[]> rows, int column, String value) {
    return rows.stream().skip(1).filter(r -> r[column].equals(value)).count()
        / (double) (rows.size() - 1);
  }

  @Test
  void headerMatchesTheSchemaAndEveryRowHasEveryColumn() throws IOException {
    List<String[]> rows = rows(GeneratorSpec.clean(1, DAY, 1, 2000), DAY);
    FeatureSchema schema = CreditDefaultGenerator.schema();
    assertThat(schema.problems()).isEmpty();
    assertThat(schema.features()).hasSize(20);
    assertThat(rows.get(0)[0]).isEqualTo("id");
    assertThat(Arrays.asList(rows.get(0)).subList(1, 21))
        .containsExactlyElementsOf(schema.features().stream().map(FeatureSpec::name).toList());
    assertThat(rows.get(0)[21]).isEqualTo("default");
    assertThat(rows).hasSize(2001).allSatisfy(r -> assertThat(r).hasSize(22));
  }

  @Test
  void sameSeedAndDaySameRowsOtherDayOtherRows() throws IOException {
    GeneratorSpec spec = GeneratorSpec.clean(7, DAY, 2, 500);
    StringWriter a = new StringWriter();
    StringWriter b = new StringWriter();
    StringWriter c = new StringWriter();
    generator.writeDay(a, DAY, spec);
    generator.writeDay(b, DAY, spec);
    generator.writeDay(c, DAY.plusDays(1), spec);
    assertThat(a.toString()).isEqualTo(b.toString());
    assertThat(a.toString().substring(200)).isNotEqualTo(c.toString().substring(200));
  }

  @Test
  void labelRateMissingValuesAndRangesAreRealistic() throws IOException {
    List<String[]> rows = rows(GeneratorSpec.clean(3, DAY, 1, 20_000), DAY);
    double positives = share(rows, 21, "1");
    assertThat(positives).isBetween(0.08, 0.25);
    assertThat(share(rows, 2, "")).as("income missing").isBetween(0.02, 0.04);
    assertThat(share(rows, 8, "")).as("months_employed missing").isBetween(0.04, 0.06);
    assertThat(share(rows, 12, "")).as("savings missing").isBetween(0.07, 0.09);
    assertThat(share(rows, 16, "")).as("employment_type missing").isBetween(0.01, 0.03);
    assertThat(share(rows, 1, "")).as("age never missing").isZero();
    FeatureSchema schema = CreditDefaultGenerator.schema();
    for (String[] r : rows.subList(1, rows.size())) {
      for (int j = 0; j < 20; j++) {
        FeatureSpec f = schema.features().get(j);
        String cell = r[j + 1];
        if (cell.isEmpty()) {
          continue;
        }
        if (f.type() == FeatureType.NUMERIC) {
          assertThat(Double.parseDouble(cell)).as(f.name()).isBetween(f.min(), f.max());
        } else {
          assertThat(f.categories()).as(f.name()).contains(cell);
        }
      }
    }
  }

  @Test
  void covariateDriftShiftsIncomeUtilizationAndRegionFromItsFirstDay() throws IOException {
    GeneratorSpec spec = new GeneratorSpec(5, DAY, 10, 10_000, DAY.plusDays(5), 1.0, 0, 0);
    List<String[]> before = rows(spec, DAY.plusDays(4));
    List<String[]> after = rows(spec, DAY.plusDays(5));
    assertThat(mean(after, 2)).isLessThan(mean(before, 2) * 0.8);
    assertThat(mean(after, 5)).isGreaterThan(mean(before, 5) + 0.15);
    assertThat(share(after, 19, "south")).isGreaterThan(share(before, 19, "south") + 0.2);
  }

  @Test
  void labelNoiseFlipsLabels() throws IOException {
    double clean = share(rows(GeneratorSpec.clean(9, DAY, 1, 20_000), DAY), 21, "1");
    double noisy = share(rows(new GeneratorSpec(9, DAY, 1, 20_000, null, 0, 0, 0.4), DAY), 21, "1");
    // Flipping 40 % moves the positive rate p to p*0.6 + (1-p)*0.4.
    assertThat(noisy)
        .isCloseTo(clean * 0.6 + (1 - clean) * 0.4, org.assertj.core.data.Offset.offset(0.02));
  }

  @Test
  void invalidSpecsAreRefusedWithTheReason() {
    assertThatThrownBy(() -> new GeneratorSpec(1, DAY, 0, 10, null, 0, 0, 0))
        .hasMessageContaining("days must be");
    assertThatThrownBy(() -> new GeneratorSpec(1, DAY, 1, 10, null, 0.5, 0, 0))
        .hasMessageContaining("need driftFrom");
    assertThatThrownBy(() -> new GeneratorSpec(1, DAY, 1, 10, DAY, 0, 1.5, 0))
        .hasMessageContaining("conceptDrift must be between 0 and 1");
  }

  /** A million-row day streams through gzip with flat memory (the heap here is 1 GiB at most). */
  @Test
  void writesAMillionRowDayWithoutHoldingItInMemory(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("day.csv.gz");
    long start = System.nanoTime();
    long written = generator.writeDay(file, DAY, GeneratorSpec.clean(11, DAY, 1, 1_000_000));
    long millis = (System.nanoTime() - start) / 1_000_000;
    long lines = 0;
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(file)), StandardCharsets.UTF_8))) {
      while (in.readLine() != null) {
        lines++;
      }
    }
    assertThat(written).isEqualTo(1_000_000);
    assertThat(lines).isEqualTo(1_000_001);
    System.out.printf("1M rows: %d ms, %.1f MB gzip%n", millis, Files.size(file) / 1e6);
  }
}
