package dev.perennial.activities.drift;

import dev.perennial.core.data.FeatureSpec;
import dev.perennial.core.data.FeatureType;
import dev.perennial.core.model.ReferenceProfile;
import dev.perennial.dev.data.CreditDefaultGenerator;
import dev.perennial.dev.data.GeneratorSpec;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Credit-default rows from the generator as columns: what training profiles and what a model server
 * would log as features. Test data with known drift.
 */
final class SyntheticTraffic {
  static final LocalDate DAY = LocalDate.of(2026, 3, 1);
  static final List<FeatureSpec> FEATURES = CreditDefaultGenerator.schema().features();

  final double[][] numbers;
  final String[][] categories;
  final int[] labels;
  final int rows;

  private SyntheticTraffic(int rows) {
    this.rows = rows;
    this.numbers = new double[FEATURES.size()][rows];
    this.categories = new String[FEATURES.size()][rows];
    this.labels = new int[rows];
  }

  /** One generated day of {@code rows} rows, drifted by {@code covariate} and {@code concept}. */
  static SyntheticTraffic day(long seed, int rows, double covariate, double concept) {
    GeneratorSpec spec =
        new GeneratorSpec(
            seed, DAY, 1, rows, covariate > 0 || concept > 0 ? DAY : null, covariate, concept, 0);
    StringWriter csv = new StringWriter();
    try {
      new CreditDefaultGenerator().writeDay(csv, DAY, spec);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String[] lines = csv.toString().split("\n");
    SyntheticTraffic t = new SyntheticTraffic(lines.length - 1);
    for (int i = 1; i < lines.length; i++) {
      // Columns: id, the features in schema order, the label. No field holds a comma.
      String[] cells = lines[i].split(",", -1);
      for (int f = 0; f < FEATURES.size(); f++) {
        String cell = cells[f + 1];
        if (FEATURES.get(f).type() == FeatureType.NUMERIC) {
          t.numbers[f][i - 1] = cell.isEmpty() ? Double.NaN : Double.parseDouble(cell);
        } else {
          t.categories[f][i - 1] = cell.isEmpty() ? null : cell;
        }
      }
      t.labels[i - 1] = Integer.parseInt(cells[cells.length - 1].trim());
    }
    return t;
  }

  /** The reference profile training on these rows would store. */
  ReferenceProfile profile() {
    Map<String, ReferenceProfile.NumericProfile> numeric = new LinkedHashMap<>();
    Map<String, ReferenceProfile.CategoricalProfile> categorical = new LinkedHashMap<>();
    for (int f = 0; f < FEATURES.size(); f++) {
      FeatureSpec spec = FEATURES.get(f);
      if (spec.type() == FeatureType.NUMERIC) {
        numeric.put(spec.name(), ReferenceProfile.numeric(numbers[f]));
      } else {
        categorical.put(
            spec.name(), ReferenceProfile.categorical(categories[f], spec.categories()));
      }
    }
    return new ReferenceProfile(rows, numeric, categorical);
  }

  /** These rows as a table, e.g. to train a model on. */
  dev.perennial.core.data.Table table() {
    int n = FEATURES.size();
    double[][] numeric = new double[n][];
    String[][] categorical = new String[n][];
    for (int f = 0; f < n; f++) {
      if (FEATURES.get(f).type() == FeatureType.NUMERIC) {
        numeric[f] = numbers[f];
      } else {
        categorical[f] = categories[f];
      }
    }
    String[] day = new String[rows];
    java.util.Arrays.fill(day, DAY.toString());
    return new dev.perennial.core.data.Table(
        CreditDefaultGenerator.schema(), numeric, categorical, labels, day);
  }

  /** Row {@code i}'s features as a model server logs them (missing values left out). */
  Map<String, Object> features(int i) {
    Map<String, Object> row = new LinkedHashMap<>();
    for (int f = 0; f < FEATURES.size(); f++) {
      FeatureSpec spec = FEATURES.get(f);
      if (spec.type() == FeatureType.NUMERIC) {
        if (!Double.isNaN(numbers[f][i])) {
          row.put(spec.name(), numbers[f][i]);
        }
      } else if (categories[f][i] != null) {
        row.put(spec.name(), categories[f][i]);
      }
    }
    return row;
  }

  /**
   * Every feature's figures for these rows against {@code reference}, through the same accumulators
   * and mapping the analyzer uses, unjudged.
   */
  List<dev.perennial.workflows.drift.FeatureDrift> measureAgainst(ReferenceProfile reference) {
    List<dev.perennial.workflows.drift.FeatureDrift> out = new ArrayList<>();
    for (int f = 0; f < FEATURES.size(); f++) {
      FeatureSpec spec = FEATURES.get(f);
      if (spec.type() == FeatureType.NUMERIC) {
        NumericDrift d = new NumericDrift(reference.numeric().get(spec.name()));
        d.acceptAll(numbers[f]);
        out.add(DriftAnalyzer.numericFeature(spec.name(), d.result()));
      } else {
        CategoricalDrift d =
            new CategoricalDrift(reference.categorical().get(spec.name()), reference.rows());
        d.acceptAll(categories[f]);
        out.add(DriftAnalyzer.categoricalFeature(spec.name(), d.result()));
      }
    }
    return out;
  }
}
