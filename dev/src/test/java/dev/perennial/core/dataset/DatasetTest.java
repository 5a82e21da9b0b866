package dev.perennial.core.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perennial.core.data.FeatureSchema;
import dev.perennial.core.data.FeatureSpec;
import dev.perennial.core.data.Table;
import dev.perennial.core.store.IntegrityException;
import dev.perennial.core.store.ObjectStore;
import dev.perennial.dev.data.CreditDefaultGenerator;
import dev.perennial.dev.data.GeneratorSpec;
import dev.perennial.dev.s3.EmbeddedS3;
import dev.perennial.workflows.dataset.DatasetSnapshot;
import dev.perennial.workflows.dataset.DatasetSpec;
import dev.perennial.workflows.dataset.ValidationJob;
import dev.perennial.workflows.dataset.ValidationReport;
import dev.perennial.workflows.dataset.ValidationRules;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Snapshots, the reader and validation against an embedded S3, with hand-made data. */
class DatasetTest {
  @RegisterExtension static final EmbeddedS3 S3 = new EmbeddedS3();

  private static final FeatureSchema TINY =
      new FeatureSchema(
          "tiny",
          "y",
          List.of(
              FeatureSpec.numeric("age", 18, 100, 0.0),
              FeatureSpec.numeric("income", 0, 1e6, 0.25),
              FeatureSpec.categorical("color", List.of("red", "blue"), null)));

  private final ObjectStore store = S3.store();

  private String dataBucket(FeatureSchema schema) {
    String bucket = S3.freshBucket();
    store.put(bucket, "tiny/_schema.json", schema.toJson(), "application/json");
    return bucket;
  }

  private void csv(String bucket, String day, String content) {
    store.put(
        bucket,
        "tiny/dt=" + day + "/part-0.csv",
        content.getBytes(StandardCharsets.UTF_8),
        "text/csv");
  }

  private DatasetSnapshot snapshot(String bucket, String from, String to, Integer lastDays) {
    String artifacts = S3.freshBucket();
    return new DatasetSnapshots(store, artifacts)
        .snapshot(
            new DatasetSpec(bucket, "tiny/", from, to, lastDays, null).withDefaults("tiny"),
            (d, t) -> {});
  }

  private ValidationReport validate(DatasetSnapshot snapshot, ValidationRules rules) {
    return new DatasetValidator(store, new SnapshotReader(store), S3.freshBucket())
        .validate(
            new ValidationJob("tiny", snapshot, rules, "run-1"), SnapshotReader.Progress.NONE);
  }

  /**
   * Ten rows with known faults: age 150 is out of range (1 of 10), income is missing in 3 of 10 (30
   * % > 25 %), "green" is an unknown color (1 of 10), "abc" is not a number, "2" is not a label.
   */
  private static final String FAULTY =
      """
      id,age,income,color,y,extra
      1,30,50000,red,0,x
      2,40,,blue,1,x
      3,150,60000,red,0,x
      4,25,,red,0,x
      5,35,70000,green,1,x
      6,45,,blue,0,x
      7,abc,80000,red,0,x
      8,50,90000,"blue",0,x
      9,55,100000,red,2,x
      10,60,110000,blue,1,x
      """;

  @Test
  void validationNamesEveryViolationWithItsNumbers() {
    String bucket = dataBucket(TINY);
    csv(bucket, "2026-02-01", FAULTY);
    ValidationReport report =
        validate(
            snapshot(bucket, null, null, null), new ValidationRules(5L, null, 0.0, 0.0, 0.1, 0.9));

    assertThat(report.passed()).isFalse();
    assertThat(report.rows()).isEqualTo(10);
    assertThat(report.violations())
        .containsExactlyInAnyOrder(
            "income: 30.00% missing (3 of 10 rows), more than the allowed 25.00%",
            "age: 1 values are not numbers, e.g. 'abc' at tiny/dt=2026-02-01/part-0.csv line 8",
            "age: 10.00% of values (1) outside [18.0, 100.0], more than the allowed 0.00%, e.g. 150 at"
                + " tiny/dt=2026-02-01/part-0.csv line 4",
            "color: 10.00% of values (1) are not known categories, more than the allowed 0.00%, e.g."
                + " green",
            "label 'y': 1 values are not 0 or 1, e.g. '2' at tiny/dt=2026-02-01/part-0.csv line 10");
    assertThat(report.warnings()).containsExactly("columns not in the schema are ignored: extra");
    assertThat(report.report().key()).isEqualTo("runs/tiny/run-1/validation.json");
  }

  @Test
  void missingColumnsAndTooFewRowsAreViolations() {
    String bucket = dataBucket(TINY);
    csv(bucket, "2026-02-01", "age,y\n30,0\n40,1\n");
    ValidationReport report =
        validate(snapshot(bucket, null, null, null), ValidationRules.defaults());
    assertThat(report.violations())
        .contains(
            "column 'income' is missing from tiny/dt=2026-02-01/part-0.csv",
            "column 'color' is missing from tiny/dt=2026-02-01/part-0.csv",
            "rows: 2 rows, fewer than minRows 1000");
  }

  @Test
  void generatedDataPassesTheDefaultRules() {
    String bucket = S3.freshBucket();
    new CreditDefaultGenerator()
        .generate(store, bucket, "tiny", GeneratorSpec.clean(3, LocalDate.of(2026, 1, 1), 2, 1500));
    ValidationReport report =
        validate(snapshot(bucket, null, null, null), ValidationRules.defaults());
    assertThat(report.violations()).isEmpty();
    assertThat(report.passed()).isTrue();
    assertThat(report.rows()).isEqualTo(3000);
  }

  @Test
  void sameDataSameVersionChangedDataNewVersion() {
    String bucket = dataBucket(TINY);
    csv(bucket, "2026-02-01", "age,income,color,y\n30,1,red,0\n");
    csv(bucket, "2026-02-02", "age,income,color,y\n31,2,blue,1\n");
    DatasetSnapshot a = snapshot(bucket, null, null, null);
    DatasetSnapshot b = snapshot(bucket, null, null, null);
    assertThat(a.datasetVersion()).isEqualTo(b.datasetVersion()).hasSize(64);
    assertThat(a.partitions()).isEqualTo(2);
    assertThat(a.firstDay()).isEqualTo("2026-02-01");
    assertThat(a.lastDay()).isEqualTo("2026-02-02");

    csv(bucket, "2026-02-02", "age,income,color,y\n32,2,blue,1\n");
    assertThat(snapshot(bucket, null, null, null).datasetVersion())
        .isNotEqualTo(a.datasetVersion());
  }

  @Test
  void dataChangedAfterTheSnapshotIsRefusedOnRead() {
    String bucket = dataBucket(TINY);
    csv(bucket, "2026-02-01", "age,income,color,y\n30,1,red,0\n");
    DatasetSnapshot snapshot = snapshot(bucket, null, null, null);
    csv(bucket, "2026-02-01", "age,income,color,y\n99,1,red,1\n");
    assertThatThrownBy(() -> new SnapshotReader(store).read(snapshot, TINY, d -> true))
        .isInstanceOf(IntegrityException.class)
        .hasMessageContaining("tiny/dt=2026-02-01/part-0.csv changed after the snapshot was taken");
  }

  @Test
  void dateRangesAndLastDaysSelectPartitions() {
    String bucket = dataBucket(TINY);
    for (int d = 1; d <= 5; d++) {
      csv(bucket, "2026-02-0" + d, "age,income,color,y\n3" + d + ",1,red,0\n");
    }
    store.put(bucket, "tiny/dt=2026-02-03/_SUCCESS", new byte[0], "text/plain");
    DatasetSnapshot range = snapshot(bucket, "2026-02-02", "2026-02-04", null);
    assertThat(range.partitions()).isEqualTo(3);
    assertThat(range.objects()).as("non-CSV files are not data").isEqualTo(3);
    DatasetSnapshot last = snapshot(bucket, null, null, 2);
    assertThat(last.firstDay()).isEqualTo("2026-02-04");
    assertThat(last.lastDay()).isEqualTo("2026-02-05");

    assertThatThrownBy(() -> snapshot(bucket, "2025-01-01", "2025-01-31", null))
        .isInstanceOf(InvalidDatasetException.class)
        .hasMessageContaining("no partitions between 2025-01-01 and 2025-01-31")
        .hasMessageContaining("available: 2026-02-01 to 2026-02-05 (5 days)");
  }

  @Test
  void missingOrBrokenSchemaIsAnActionableError() {
    String bucket = S3.freshBucket();
    csv(bucket, "2026-02-01", "age,y\n30,0\n");
    assertThatThrownBy(() -> snapshot(bucket, null, null, null))
        .isInstanceOf(InvalidDatasetException.class)
        .hasMessageContaining("no schema at s3://" + bucket + "/tiny/_schema.json");

    store.put(
        bucket,
        "tiny/_schema.json",
        "{\"label\":\"y\",\"features\":[]}".getBytes(StandardCharsets.UTF_8),
        "application/json");
    assertThatThrownBy(() -> snapshot(bucket, null, null, null))
        .isInstanceOf(InvalidDatasetException.class)
        .hasMessageContaining("'features' must list at least one column");

    String empty = dataBucket(TINY);
    assertThatThrownBy(() -> snapshot(empty, null, null, null))
        .isInstanceOf(InvalidDatasetException.class)
        .hasMessageContaining("no data partitions under s3://" + empty + "/tiny/");
  }

  @Test
  void readerBuildsColumnsWithMissingValuesAndQuotedCells() {
    String bucket = dataBucket(TINY);
    csv(bucket, "2026-02-01", "y,color,age,income\r\n1,\"red\",30,\r\n0,,41,\"1,5\"\r\n");
    DatasetSnapshot snapshot = snapshot(bucket, null, null, null);
    assertThatThrownBy(() -> new SnapshotReader(store).read(snapshot, TINY, d -> true))
        .isInstanceOf(InvalidDatasetException.class)
        .hasMessageContaining("line 3: '1,5' in column 'income' is not a number");

    csv(bucket, "2026-02-01", "y,color,age,income\r\n1,\"red\",30,\r\n0,,41,\"15\"\r\n");
    Table t = new SnapshotReader(store).read(snapshot(bucket, null, null, null), TINY, d -> true);
    assertThat(t.rows()).isEqualTo(2);
    assertThat(t.label()).containsExactly(1, 0);
    assertThat(t.numeric(0)).containsExactly(30, 41);
    assertThat(t.numeric(1)[0]).isNaN();
    assertThat(t.numeric(1)[1]).isEqualTo(15);
    assertThat(t.categorical(2)).containsExactly("red", null);
    assertThat(t.day()).containsExactly("2026-02-01", "2026-02-01");
  }

  @Test
  void readerRefusesInfiniteAndNaNNumbersNamingTheColumn() {
    // Double.parseDouble reads both; an infinity used to reach the reference profile as NaN
    // deciles, and "NaN" became a missing value the validator had counted as invalid.
    for (String cell : List.of("Infinity", "-Infinity", "NaN")) {
      String bucket = dataBucket(TINY);
      csv(bucket, "2026-02-01", "y,color,age,income\n1,red,30,2\n0,red," + cell + ",3\n");
      DatasetSnapshot snapshot = snapshot(bucket, null, null, null);
      assertThatThrownBy(() -> new SnapshotReader(store).read(snapshot, TINY, d -> true))
          .isInstanceOf(InvalidDatasetException.class)
          .hasMessageContaining("line 3: '" + cell + "' in column 'age' is not a finite number");
    }
  }

  @Test
  void readerTrimsCellsReadsShortRowsAsMissingAndRefusesALabelNamingTheLine() {
    String bucket = dataBucket(TINY);
    csv(bucket, "2026-02-01", "y,color,age,income\n 1.0 , red ,\t-0.25 , 7\n0.0,blue\n");
    Table t = new SnapshotReader(store).read(snapshot(bucket, null, null, null), TINY, d -> true);
    assertThat(t.label()).containsExactly(1, 0);
    assertThat(t.numeric(0)[0]).isEqualTo(-0.25);
    assertThat(t.numeric(0)[1]).isNaN();
    assertThat(t.numeric(1)[0]).isEqualTo(7);
    assertThat(t.numeric(1)[1]).isNaN();
    assertThat(t.categorical(2)).containsExactly("red", "blue");

    for (String label : List.of(" 2 ", "yes", "")) {
      String refused = dataBucket(TINY);
      csv(refused, "2026-02-01", "y,color,age,income\n1,red,30,2\n" + label + ",red,3,3\n");
      DatasetSnapshot snapshot = snapshot(refused, null, null, null);
      assertThatThrownBy(() -> new SnapshotReader(store).read(snapshot, TINY, d -> true))
          .isInstanceOf(InvalidDatasetException.class)
          .hasMessageContaining("line 3: label '" + label.trim() + "' is not 0 or 1");
    }
  }
}
