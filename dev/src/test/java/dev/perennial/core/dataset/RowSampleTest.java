package dev.perennial.core.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.perennial.core.data.FeatureSchema;
import dev.perennial.core.data.Table;
import dev.perennial.dev.data.CreditDefaultGenerator;
import dev.perennial.dev.data.GeneratorSpec;
import dev.perennial.dev.s3.EmbeddedS3;
import dev.perennial.workflows.dataset.DatasetSnapshot;
import dev.perennial.workflows.dataset.DatasetSpec;
import dev.perennial.workflows.training.Hyperparameters;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Sampled reads on generated data: exact counts, label shares, reproducible, never more held. */
class RowSampleTest {
  @RegisterExtension static final EmbeddedS3 S3 = new EmbeddedS3();
  static DatasetSnapshot snapshot;
  static FeatureSchema schema;
  static SnapshotReader reader;
  static Table all;

  @BeforeAll
  static void data() {
    String data = S3.freshBucket();
    new CreditDefaultGenerator()
        .generate(S3.store(), data, "m", GeneratorSpec.clean(8, LocalDate.of(2026, 1, 1), 4, 3000));
    snapshot =
        new DatasetSnapshots(S3.store(), S3.freshBucket())
            .snapshot(
                new DatasetSpec(data, null, null, null, null, null).withDefaults("m"),
                (d, t) -> {});
    reader = new SnapshotReader(S3.store());
    schema = reader.schema(snapshot);
    all = reader.read(snapshot, schema, d -> true);
  }

  private static SnapshotReader.Sampled sample(String method, int rows, long seed) {
    return reader.read(
        snapshot,
        schema,
        d -> true,
        new RowSample(method, rows, seed),
        SnapshotReader.Progress.NONE);
  }

  /** Each row as text: numeric cells, categories, label and day. */
  private static List<String> rows(Table t) {
    List<String> rows = new ArrayList<>();
    for (int i = 0; i < t.rows(); i++) {
      StringBuilder b = new StringBuilder();
      for (int j = 0; j < schema.features().size(); j++) {
        b.append(t.numeric(j) != null ? t.numeric(j)[i] : t.categorical(j)[i]).append(',');
      }
      rows.add(b.append(t.label()[i]).append(',').append(t.day()[i]).toString());
    }
    return rows;
  }

  private static double positiveShare(int[] labels) {
    long ones = 0;
    for (int y : labels) {
      ones += y;
    }
    return (double) ones / labels.length;
  }

  @ParameterizedTest
  @ValueSource(strings = {Hyperparameters.UNIFORM, Hyperparameters.STRATIFIED})
  void keepsExactlyTheRowsAskedForAllOfThemRowsOfTheData(String method) {
    SnapshotReader.Sampled s = sample(method, 2500, 7);

    assertThat(s.table().rows()).isEqualTo(2500);
    assertThat(s.summary())
        .isEqualTo(
            new RowSample.Summary(
                method,
                2500,
                12_000,
                2500,
                7,
                s.summary().positivesSeen(),
                s.summary().positivesKept()));
    assertThat(s.summary().positivesSeen())
        .isEqualTo(Math.round(positiveShare(all.label()) * 12_000));
    assertThat(s.summary().positivesKept())
        .isEqualTo(Math.round(positiveShare(s.table().label()) * 2500));
    // Rows of the data, each at most once, from every day.
    List<String> kept = rows(s.table());
    assertThat(new HashSet<>(rows(all))).containsAll(kept);
    assertThat(new HashSet<>(kept)).hasSize(2500);
    assertThat(new HashSet<>(List.of(s.table().day()))).hasSize(4);
  }

  @Test
  void stratifiedKeepsTheLabelShareToTheRow() {
    SnapshotReader.Sampled s = sample(Hyperparameters.STRATIFIED, 1001, 3);
    double seen = positiveShare(all.label());
    // Largest remainder: the positives kept are the exact share of 1001, rounded.
    assertThat(s.summary().positivesKept()).isEqualTo((int) Math.round(seen * 1001));
    assertThat(positiveShare(s.table().label())).isCloseTo(seen, within(1.0 / 1001));
  }

  @Test
  void uniformKeepsTheLabelShareWithinItsSamplingError() {
    double seen = positiveShare(all.label());
    // Four standard errors of a proportion over 2000 rows drawn from 12000 (without replacement).
    double se = Math.sqrt(seen * (1 - seen) / 2000 * (1 - 2000.0 / 12_000));
    for (long seed = 1; seed <= 5; seed++) {
      assertThat(positiveShare(sample(Hyperparameters.UNIFORM, 2000, seed).table().label()))
          .isCloseTo(seen, within(4 * se));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {Hyperparameters.UNIFORM, Hyperparameters.STRATIFIED})
  void theSameSeedPicksTheSameRowsAnotherSeedOthers(String method) {
    List<String> a = rows(sample(method, 1500, 11).table());
    assertThat(rows(sample(method, 1500, 11).table())).isEqualTo(a);
    assertThat(rows(sample(method, 1500, 12).table())).isNotEqualTo(a);
  }

  @ParameterizedTest
  @ValueSource(strings = {Hyperparameters.UNIFORM, Hyperparameters.STRATIFIED})
  void fewerRowsThanAskedAreAllKept(String method) {
    SnapshotReader.Sampled s = sample(method, 50_000, 1);
    assertThat(s.summary().rowsSeen()).isEqualTo(12_000);
    assertThat(s.summary().rowsKept()).isEqualTo(12_000);
    assertThat(new HashSet<>(rows(s.table()))).isEqualTo(new HashSet<>(rows(all)));
  }

  @Test
  void aFullReadReadsTheObjectsAtOnceIntoTheRowsOneAfterAnotherWouldGive() {
    // A uniform sample with room for every row keeps them all in the order read, one object after
    // another: the rows of the parallel full read, in the same order.
    SnapshotReader.Sampled oneByOne = sample("uniform", 1_000_000, 1);

    assertThat(rows(all)).containsExactlyElementsOf(rows(oneByOne.table()));
    assertThat(all.day()).isSorted();
    for (int j = 0; j < schema.features().size(); j++) {
      if (all.categorical(j) != null) {
        // Equal categories are one instance, as the encoder's lookup expects of a read.
        assertThat(
                java.util.Arrays.stream(all.categorical(j))
                    .filter(java.util.Objects::nonNull)
                    .map(System::identityHashCode)
                    .distinct()
                    .count())
            .isEqualTo(
                java.util.Arrays.stream(all.categorical(j))
                    .filter(java.util.Objects::nonNull)
                    .distinct()
                    .count());
      }
    }
  }
}
