package dev.perennial.core.dataset;

import dev.perennial.core.Json;
import dev.perennial.core.data.FeatureSchema;
import dev.perennial.core.data.FeatureSpec;
import dev.perennial.core.data.FeatureType;
import dev.perennial.core.store.ObjectStore;
import dev.perennial.workflows.ObjectRef;
import dev.perennial.workflows.dataset.ValidationJob;
import dev.perennial.workflows.dataset.ValidationReport;
import dev.perennial.workflows.dataset.ValidationRules;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Checks a snapshot against its schema and the hard rules in one streaming pass, with memory
 * bounded by the number of columns (not rows): header columns, number parsing, ranges, missing
 * values, category sets, label values and balance, row count.
 */
public final class DatasetValidator {
  private static final int EXAMPLES = 5;
  private static final int EMPTY_NAMED = 10;

  private final ObjectStore store;
  private final SnapshotReader reader;
  private final String artifactBucket;

  public DatasetValidator(ObjectStore store, SnapshotReader reader, String artifactBucket) {
    this.store = store;
    this.reader = reader;
    this.artifactBucket = artifactBucket;
  }

  /** Validates and stores the full report under {@code runs/<model>/<runId>/validation.json}. */
  public ValidationReport validate(ValidationJob job, SnapshotReader.Progress progress) {
    ValidationRules rules = job.rules().withDefaults();
    FeatureSchema schema = reader.schema(job.snapshot());
    List<ColumnCheck> columns = new ArrayList<>();
    for (FeatureSpec f : schema.features()) {
      columns.add(new ColumnCheck(f));
    }
    LabelCheck label = new LabelCheck(schema.label());
    Set<String> headerProblems = new LinkedHashSet<>();
    Set<String> extraColumns = new LinkedHashSet<>();
    List<String> empty = new ArrayList<>();

    long rows =
        reader.forEachRow(
            job.snapshot(),
            day -> true,
            new SnapshotReader.RowVisitor() {
              int[] index;
              int labelIndex;

              @Override
              public void header(Manifest.Entry object, String[] header) {
                Map<String, Integer> position = SnapshotReader.positions(header);
                index = new int[columns.size()];
                for (int j = 0; j < columns.size(); j++) {
                  Integer p = position.remove(columns.get(j).spec.name());
                  index[j] = p == null ? -1 : p;
                  if (p == null) {
                    headerProblems.add(
                        "column '"
                            + columns.get(j).spec.name()
                            + "' is missing from "
                            + object.key());
                  }
                }
                Integer l = position.remove(schema.label());
                labelIndex = l == null ? -1 : l;
                if (l == null) {
                  headerProblems.add(
                      "label column '" + schema.label() + "' is missing from " + object.key());
                }
                position.remove("id");
                extraColumns.addAll(position.keySet());
              }

              @Override
              public void noRows(Manifest.Entry object, String problem) {
                empty.add(problem);
              }

              @Override
              public void row(Manifest.Entry object, long line, String[] cells) {
                for (int j = 0; j < index.length; j++) {
                  columns
                      .get(j)
                      .accept(
                          index[j] < 0 || index[j] >= cells.length ? null : cells[index[j]],
                          object,
                          line);
                }
                label.accept(
                    labelIndex < 0 || labelIndex >= cells.length ? null : cells[labelIndex],
                    object,
                    line);
              }
            },
            progress);

    List<String> violations = new ArrayList<>(headerProblems);
    // Each empty object is named, up to a few; a snapshot of many empty days is one line more.
    for (int i = 0; i < Math.min(empty.size(), EMPTY_NAMED); i++) {
      violations.add("no data: " + empty.get(i));
    }
    if (empty.size() > EMPTY_NAMED) {
      violations.add(
          "no data: " + (empty.size() - EMPTY_NAMED) + " more objects hold no data rows");
    }
    List<String> warnings = new ArrayList<>();
    if (rows < rules.minRows()) {
      violations.add("rows: " + rows + " rows, fewer than minRows " + rules.minRows());
    }
    for (ColumnCheck c : columns) {
      c.judge(rows, rules, violations, warnings);
    }
    label.judge(rows, rules, violations);
    if (!extraColumns.isEmpty()) {
      warnings.add("columns not in the schema are ignored: " + String.join(", ", extraColumns));
    }

    boolean passed = violations.isEmpty();
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("model", job.model());
    report.put("datasetVersion", job.snapshot().datasetVersion());
    report.put("days", job.snapshot().firstDay() + " to " + job.snapshot().lastDay());
    report.put("rows", rows);
    report.put("passed", passed);
    report.put("rules", rules);
    report.put("violations", violations);
    report.put("warnings", warnings);
    Map<String, Object> stats = new LinkedHashMap<>();
    for (ColumnCheck c : columns) {
      stats.put(c.spec.name(), c.stats(rows));
    }
    stats.put(schema.label(), label.stats(rows));
    report.put("columns", stats);
    String key = "runs/" + job.model() + "/" + job.runId() + "/validation.json";
    store.ensureBucket(artifactBucket);
    var stored = store.put(artifactBucket, key, Json.write(report), "application/json");
    return new ValidationReport(
        passed,
        rows,
        List.copyOf(violations),
        List.copyOf(warnings),
        new ObjectRef(artifactBucket, key, stored.sha256(), stored.size()));
  }

  private static String pct(double share) {
    return String.format(Locale.ROOT, "%.2f%%", share * 100);
  }

  private static String where(Manifest.Entry object, long line) {
    return object.key() + " line " + line;
  }

  /** Running statistics of one feature column. */
  private static final class ColumnCheck {
    final FeatureSpec spec;
    long missing;
    long invalid;
    String invalidExample;
    long outOfRange;
    String outOfRangeExample;
    long unknown;
    final Set<String> unknownExamples = new LinkedHashSet<>();
    final Set<String> known;
    final Map<String, Long> categoryCounts = new LinkedHashMap<>();
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    double sum;
    long numbers;

    ColumnCheck(FeatureSpec spec) {
      this.spec = spec;
      this.known = spec.categories() == null ? Set.of() : Set.copyOf(spec.categories());
    }

    void accept(String raw, Manifest.Entry object, long line) {
      String cell = raw == null ? "" : raw.trim();
      if (cell.isEmpty()) {
        missing++;
        return;
      }
      if (spec.type() == FeatureType.NUMERIC) {
        double v;
        try {
          v = Double.parseDouble(cell);
        } catch (NumberFormatException e) {
          if (invalid++ == 0) {
            invalidExample = "'" + cell + "' at " + where(object, line);
          }
          return;
        }
        if (Double.isNaN(v) || Double.isInfinite(v)) {
          if (invalid++ == 0) {
            invalidExample = "'" + cell + "' at " + where(object, line);
          }
          return;
        }
        numbers++;
        sum += v;
        min = Math.min(min, v);
        max = Math.max(max, v);
        if ((spec.min() != null && v < spec.min()) || (spec.max() != null && v > spec.max())) {
          if (outOfRange++ == 0) {
            outOfRangeExample = cell + " at " + where(object, line);
          }
        }
      } else {
        if (known.contains(cell)) {
          categoryCounts.merge(cell, 1L, Long::sum);
        } else {
          unknown++;
          if (unknownExamples.size() < EXAMPLES) {
            unknownExamples.add(cell);
          }
        }
      }
    }

    void judge(long rows, ValidationRules rules, List<String> violations, List<String> warnings) {
      String name = spec.name();
      if (rows == 0) {
        return;
      }
      double maxMissing =
          spec.maxMissingRate() != null ? spec.maxMissingRate() : rules.maxMissingRate();
      double missingRate = (double) missing / rows;
      if (missingRate > maxMissing) {
        violations.add(
            name
                + ": "
                + pct(missingRate)
                + " missing ("
                + missing
                + " of "
                + rows
                + " rows), more than the allowed "
                + pct(maxMissing));
      } else if (missing > 0 && missingRate > maxMissing / 2) {
        warnings.add(
            name + ": " + pct(missingRate) + " missing, close to the limit " + pct(maxMissing));
      }
      if (invalid > 0) {
        violations.add(name + ": " + invalid + " values are not numbers, e.g. " + invalidExample);
      }
      double outRate = (double) outOfRange / rows;
      if (outRate > rules.maxOutOfRangeRate()) {
        violations.add(
            name
                + ": "
                + pct(outRate)
                + " of values ("
                + outOfRange
                + ") outside ["
                + spec.min()
                + ", "
                + spec.max()
                + "], more than the allowed "
                + pct(rules.maxOutOfRangeRate())
                + ", e.g. "
                + outOfRangeExample);
      }
      double unknownRate = (double) unknown / rows;
      if (unknownRate > rules.maxUnknownCategoryRate()) {
        violations.add(
            name
                + ": "
                + pct(unknownRate)
                + " of values ("
                + unknown
                + ") are not known categories, more than the allowed "
                + pct(rules.maxUnknownCategoryRate())
                + ", e.g. "
                + String.join(", ", unknownExamples));
      } else if (unknown > 0) {
        warnings.add(
            name
                + ": "
                + unknown
                + " unknown categories, e.g. "
                + String.join(", ", unknownExamples));
      }
      if (spec.type() == FeatureType.NUMERIC && numbers > 1 && min == max) {
        warnings.add(name + ": constant (" + min + ")");
      }
    }

    Map<String, Object> stats(long rows) {
      Map<String, Object> s = new LinkedHashMap<>();
      s.put("type", spec.type());
      s.put("missing", missing);
      s.put("missingRate", rows == 0 ? 0 : (double) missing / rows);
      if (spec.type() == FeatureType.NUMERIC) {
        s.put("invalid", invalid);
        s.put("outOfRange", outOfRange);
        if (numbers > 0) {
          s.put("min", min);
          s.put("max", max);
          s.put("mean", sum / numbers);
        }
      } else {
        s.put("unknown", unknown);
        s.put("unknownExamples", unknownExamples);
        s.put("counts", categoryCounts);
      }
      return s;
    }
  }

  /** Label values and balance. */
  private static final class LabelCheck {
    final String name;
    long positives;
    long invalid;
    String invalidExample;

    LabelCheck(String name) {
      this.name = name;
    }

    void accept(String raw, Manifest.Entry object, long line) {
      String cell = raw == null ? "" : raw.trim();
      if ("1".equals(cell) || "1.0".equals(cell)) {
        positives++;
      } else if (!"0".equals(cell) && !"0.0".equals(cell)) {
        if (invalid++ == 0) {
          invalidExample = "'" + cell + "' at " + where(object, line);
        }
      }
    }

    void judge(long rows, ValidationRules rules, List<String> violations) {
      if (invalid > 0) {
        violations.add(
            "label '" + name + "': " + invalid + " values are not 0 or 1, e.g. " + invalidExample);
      }
      if (rows == 0) {
        return;
      }
      double rate = (double) positives / rows;
      if (rate < rules.minLabelRate() || rate > rules.maxLabelRate()) {
        violations.add(
            "label '"
                + name
                + "': positive rate "
                + pct(rate)
                + " is outside ["
                + pct(rules.minLabelRate())
                + ", "
                + pct(rules.maxLabelRate())
                + "]");
      }
    }

    Map<String, Object> stats(long rows) {
      return Map.of(
          "positives", positives,
          "positiveRate", rows == 0 ? 0.0 : (double) positives / rows,
          "invalid", invalid);
    }
  }
}
