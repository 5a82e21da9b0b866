package dev.perennial.core.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perennial.core.data.FeatureSchema;
import dev.perennial.core.data.FeatureSpec;
import dev.perennial.core.dataset.DatasetSnapshots;
import dev.perennial.core.model.TrainingProgress;
import dev.perennial.core.store.ObjectStore;
import dev.perennial.dev.s3.EmbeddedS3;
import dev.perennial.workflows.cache.CacheKey;
import dev.perennial.workflows.cache.CacheQuery;
import dev.perennial.workflows.dataset.DatasetSnapshot;
import dev.perennial.workflows.dataset.DatasetSpec;
import dev.perennial.workflows.search.HyperparameterSearch;
import dev.perennial.workflows.search.ParameterRange;
import dev.perennial.workflows.training.Hyperparameters;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The step cache's key over real snapshots in an embedded S3: identical inputs make one key, and a
 * changed byte in any partition, any changed option and a new trainer or Perennial version each
 * make another.
 */
class CacheKeysTest {
  @RegisterExtension static final EmbeddedS3 S3 = new EmbeddedS3();

  private static final FeatureSchema TINY =
      new FeatureSchema(
          "tiny",
          "y",
          List.of(
              FeatureSpec.numeric("age", 18, 100, 0.0),
              FeatureSpec.categorical("color", List.of("red", "blue"), null)));

  private static final List<String> DAYS = List.of("2026-02-01", "2026-02-02", "2026-02-03");

  private final ObjectStore store = S3.store();
  private final CacheKeys keys = new CacheKeys(Trainers.onClassPath(), "0.1.0+abc1234");
  private String bucket;

  @BeforeEach
  void data() {
    bucket = S3.freshBucket();
    store.put(bucket, "tiny/_schema.json", TINY.toJson(), "application/json");
    for (String day : DAYS) {
      put(day, rows(day));
    }
  }

  private static String rows(String day) {
    return "age,color,y\n30,red,0\n41,blue,1\n52,red," + (day.endsWith("2") ? 1 : 0) + "\n";
  }

  private void put(String day, String csv) {
    store.put(
        bucket, "tiny/dt=" + day + "/part-0.csv", csv.getBytes(StandardCharsets.UTF_8), "text/csv");
  }

  private DatasetSnapshot snapshot() {
    return new DatasetSnapshots(store, S3.freshBucket())
        .snapshot(
            new DatasetSpec(bucket, "tiny/", DAYS.get(0), DAYS.get(2), null, null)
                .withDefaults("tiny"),
            (d, t) -> {});
  }

  private static CacheQuery query(DatasetSnapshot data, Hyperparameters h) {
    return query(data, h, 1, null);
  }

  private static CacheQuery query(
      DatasetSnapshot data, Hyperparameters h, int holdoutDays, HyperparameterSearch search) {
    return new CacheQuery("tiny", data, holdoutDays, h, search);
  }

  @Test
  void identicalInputsMakeOneKeyAndTheDefaultsCountAsGiven() {
    CacheKey first = keys.of(query(snapshot(), Hyperparameters.defaults()));
    CacheKey again = keys.of(query(snapshot(), Hyperparameters.defaults()));
    CacheKey explicit =
        keys.of(
            query(
                snapshot(),
                Hyperparameters.of(Hyperparameters.GRADIENT_BOOSTING)
                    .with("trees", 100)
                    .with("seed", 42)));

    assertThat(again).isEqualTo(first);
    assertThat(explicit.key()).isEqualTo(first.key());
    assertThat(first.key()).matches("[0-9a-f]{64}");
    assertThat(first.codeVersion())
        .startsWith("GRADIENT_BOOSTING ")
        .endsWith("; perennial 0.1.0+abc1234");
    assertThat(first.options()).contains("hyperparameters.trees=100\n", "holdoutDays=1\n");
  }

  @Test
  void aChangedByteInAnyPartitionMakesAnotherKey() {
    DatasetSnapshot before = snapshot();
    String key = keys.of(query(before, Hyperparameters.defaults())).key();
    List<String> changed = new ArrayList<>();
    for (String day : DAYS) {
      String original = rows(day);
      // One byte: the first row's age 30 becomes 31.
      put(day, original.replaceFirst("30,red", "31,red"));
      DatasetSnapshot after = snapshot();
      changed.add(keys.of(query(after, Hyperparameters.defaults())).key());
      assertThat(after.datasetVersion()).as(day).isNotEqualTo(before.datasetVersion());
      put(day, original);
    }

    assertThat(changed).doesNotContain(key).doesNotHaveDuplicates();
    // Put back, the data makes the first key again.
    assertThat(keys.of(query(snapshot(), Hyperparameters.defaults())).key()).isEqualTo(key);
  }

  @Test
  void everyChangedOptionMakesAnotherKey() {
    DatasetSnapshot data = snapshot();
    Hyperparameters base = Hyperparameters.defaults();
    HyperparameterSearch search =
        HyperparameterSearch.random(4).over("trees", ParameterRange.ints(50, 200)).seed(7);
    List<CacheQuery> variants =
        List.of(
            query(data, base),
            query(data, Hyperparameters.of(Hyperparameters.RANDOM_FOREST)),
            query(data, base.with("trees", 101)),
            query(data, base.with("shrinkage", 0.05)),
            query(data, base.with("seed", 43)),
            query(data, base.with("validationFraction", 0.25)),
            query(data, base.with("maxTrainingRows", 1000)),
            query(data, base.with("maxTrainingRows", 1000).with("sampling", "stratified")),
            query(data, Hyperparameters.of("DECISION_TREE")),
            query(data, Hyperparameters.of("DECISION_TREE").with("splitRule", "ENTROPY")),
            query(data, base, 2, null),
            query(data, base, 1, search),
            query(data, base, 1, search.seed(8)),
            query(data, base, 1, search.over("maxDepth", ParameterRange.ints(3, 6))),
            query(data, base, 1, search.by("logLoss")));

    List<String> made = variants.stream().map(q -> keys.of(q).key()).toList();

    assertThat(made).doesNotHaveDuplicates();
    // How many trials train at once does not change which is best.
    assertThat(keys.of(query(data, base, 1, search.parallelism(4))).key()).isEqualTo(made.get(11));
  }

  @Test
  void aNewTrainerVersionOrPerennialBuildMakesAnotherKey() {
    DatasetSnapshot data = snapshot();
    Hyperparameters h = Hyperparameters.of("versioned");
    ClassLoader loader = getClass().getClassLoader();
    CacheKeys v1 = new CacheKeys(Trainers.of(List.of(new Versioned("1.0")), loader), "p1");
    CacheKeys v2 = new CacheKeys(Trainers.of(List.of(new Versioned("1.1")), loader), "p1");
    CacheKeys newBuild = new CacheKeys(Trainers.of(List.of(new Versioned("1.0")), loader), "p2");

    CacheKey first = v1.of(query(data, h));

    assertThat(v1.of(query(data, h))).isEqualTo(first);
    assertThat(v2.of(query(data, h)).key()).isNotEqualTo(first.key());
    assertThat(newBuild.of(query(data, h)).key()).isNotEqualTo(first.key());
    assertThat(first.codeVersion()).isEqualTo("versioned 1.0; perennial p1");
  }

  @Test
  void aTrainerThatSaysNoVersionIsVersionedByItsBytecode() {
    assertThat(new Unversioned().version()).matches("class-sha256:[0-9a-f]{16}");
    assertThat(new Unversioned().version()).isNotEqualTo(new Versioned("x").version());
  }

  @Test
  void aTrainerTheWorkerLacksIsRefusedAsTrainingWouldRefuseIt() {
    assertThatThrownBy(() -> keys.of(query(snapshot(), Hyperparameters.of("acme-missing"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no trainer named 'acme-missing'");
  }

  /** A trainer whose version a test chooses. */
  record Versioned(String version) implements Trainer<Versioned.None> {
    record None() implements TrainerOptions {}

    @Override
    public String name() {
      return "versioned";
    }

    @Override
    public None options(TrainerSettings settings) {
      return new None();
    }

    @Override
    public Encoding encoding() {
      return Encoding.ORDINAL;
    }

    @Override
    public ScoringModel fit(TrainingData data, None options, TrainingProgress progress) {
      throw new UnsupportedOperationException();
    }
  }

  /** A trainer that leaves its version to the default. */
  static final class Unversioned implements Trainer<Versioned.None> {
    @Override
    public String name() {
      return "unversioned";
    }

    @Override
    public Versioned.None options(TrainerSettings settings) {
      return new Versioned.None();
    }

    @Override
    public Encoding encoding() {
      return Encoding.ORDINAL;
    }

    @Override
    public ScoringModel fit(TrainingData data, Versioned.None options, TrainingProgress progress) {
      throw new UnsupportedOperationException();
    }
  }
}
