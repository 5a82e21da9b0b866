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
final class CreditRows {
  static final FeatureSchema SCHEMA = CreditDefaultGenerator.schema();

  private CreditRows() {}

  /** {@code rows} rows of one day of the clean generator with {@code seed}. */
  static Table day(long seed, LocalDate day, int rows) {
    StringWriter csv = new StringWriter();
    try {
      new CreditDefaultGenerator().writeDay(csv, day, GeneratorSpec.clean(seed, day, 1, rows));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String[] lines = csv.toString().split("\n");
    int n = lines.length - 1;
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
    String[] days = new String[n];
    for (int i = 0; i < n; i++) {
      // Columns: id, the features in schema order, the label. No field holds a comma.
      String[] cells = lines[i + 1].split(",", -1);
      for (int f = 0; f < features; f++) {
        String cell = cells[f + 1];
        if (numeric[f] != null) {
          numeric[f][i] = cell.isEmpty() ? Double.NaN : Double.parseDouble(cell);
        } else {
          categorical[f][i] = cell.isEmpty() ? null : cell;
        }
      }
      label[i] = Integer.parseInt(cells[cells.length - 1].strip());
      days[i] = day.toString();
    }
    return new Table(SCHEMA, numeric, categorical, label, days);
  }
}
