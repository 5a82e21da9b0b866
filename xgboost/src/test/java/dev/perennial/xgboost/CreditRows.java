package dev.perennial.xgboost;

import dev.perennial.core.data.FeatureSchema;
import dev.perennial.core.data.FeatureType;
import dev.perennial.core.data.Table;
import dev.perennial.dev.data.CreditDefaultGenerator;
import dev.perennial.dev.data.GeneratorSpec;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.LocalDate;

/** Generated credit-default rows as a {@link Table}, in memory: what a snapshot read would give. */
public final class CreditRows {
  static final FeatureSchema SCHEMA = CreditDefaultGenerator.schema();

  private CreditRows() {}

  /** {@code rows} rows of one day of the clean generator with {@code seed}. */
  public static Table day(long seed, LocalDate day, int rows) {
    return days(seed, day, 1, rows);
  }

  /** {@code days} days from {@code first} of {@code rowsPerDay} rows each. */
  public static Table days(long seed, LocalDate first, int days, int rowsPerDay) {
    GeneratorSpec spec = GeneratorSpec.clean(seed, first, days, rowsPerDay);
    int n = days * rowsPerDay;
    int features = SCHEMA.features().size();
    double[][] numeric = new double[features][];
    String[][] categorical = new String[features][];
    for (int f = 0; f < features; f++) {
      if (SCHEMA.features().get(f).type() == FeatureType.NUMERIC) {
        numeric[f] = new double[n];
      } else {
        categorical[f] = new String[n];
      }
    }
    int[] label = new int[n];
    String[] dayOf = new String[n];
    int at = 0;
    for (int d = 0; d < days; d++) {
      LocalDate day = first.plusDays(d);
      StringWriter csv = new StringWriter();
      try {
        new CreditDefaultGenerator().writeDay(csv, day, spec);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      String[] lines = csv.toString().split("\n");
      for (int i = 1; i < lines.length; i++, at++) {
        // Columns: id, the features in schema order, the label. No field holds a comma.
        String[] cells = lines[i].split(",", -1);
        for (int f = 0; f < features; f++) {
          String cell = cells[f + 1];
          if (numeric[f] != null) {
            numeric[f][at] = cell.isEmpty() ? Double.NaN : Double.parseDouble(cell);
          } else {
            categorical[f][at] = cell.isEmpty() ? null : cell;
          }
        }
        label[at] = Integer.parseInt(cells[cells.length - 1].strip());
        dayOf[at] = day.toString();
      }
    }
    return new Table(SCHEMA, numeric, categorical, label, dayOf);
  }
}
