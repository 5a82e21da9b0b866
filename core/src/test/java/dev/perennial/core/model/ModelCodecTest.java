package dev.perennial.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perennial.core.data.FeatureSchema;
import dev.perennial.core.data.FeatureSpec;
import dev.perennial.core.data.Table;
import dev.perennial.core.store.IntegrityException;
import dev.perennial.core.store.Sha256;
import dev.perennial.core.training.ScoringModel;
import dev.perennial.core.training.Trainers;
import dev.perennial.workflows.ObjectRef;
import dev.perennial.workflows.training.Hyperparameters;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ModelCodecTest {
  private static final Trainers TRAINERS = Trainers.onClassPath();
  private static final ModelCodec CODEC = TRAINERS.codec();

  private static final FeatureSchema SCHEMA =
      new FeatureSchema(
          "toy",
          "y",
          List.of(
              FeatureSpec.numeric("x", -10, 10, null),
              FeatureSpec.categorical("c", List.of("a", "b"), null)));

  /** y = 1 mostly when x > 0 or c = "b". */
  static Table toy(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] x = new double[n];
    String[] c = new String[n];
    int[] y = new int[n];
    String[] day = new String[n];
    for (int i = 0; i < n; i++) {
      x[i] = r.nextDouble() * 4 - 2;
      c[i] = r.nextBoolean() ? "a" : "b";
      double z = 2.5 * x[i] + ("b".equals(c[i]) ? 1.5 : -1.0);
      y[i] = r.nextDouble() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
      day[i] = "2026-01-01";
    }
    return new Table(SCHEMA, new double[][] {x, null}, new String[][] {null, c}, y, day);
  }

  private static ObjectRef refTo(byte[] bytes) {
    return new ObjectRef("b", "models/m.bin", Sha256.hex(bytes), bytes.length);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "GRADIENT_BOOSTING",
        "RANDOM_FOREST",
        "LOGISTIC_REGRESSION",
        "ADABOOST",
        "DECISION_TREE"
      })
  void roundTripGivesTheSamePredictions(String trainer) {
    Table t = toy(600, 1);
    ModelBundle bundle = TRAINERS.train(t, Hyperparameters.of(trainer), TrainingProgress.NONE);
    byte[] bytes = ModelCodec.serialize(bundle);
    ModelBundle loaded = CODEC.deserialize(bytes, refTo(bytes));
    assertThat(loaded.predictProba(t)).containsExactly(bundle.predictProba(t));
    assertThat(loaded.trainer()).isEqualTo(trainer);
    Map<String, Object> row = new HashMap<>();
    row.put("x", 1.5);
    row.put("c", "b");
    assertThat(loaded.predictProba(row)).isGreaterThan(0.5);
  }

  /**
   * Bundles written by the version before trainers were plug-ins (an enum and a Smile field; see
   * src/test/resources/bundles), trained on toy(200, 7) with 5 trees of depth 3 and 4 leaves, and
   * the probabilities that version gave for toy(5, 8).
   */
  @ParameterizedTest
  @ValueSource(strings = {"LOGISTIC_REGRESSION", "GRADIENT_BOOSTING", "RANDOM_FOREST"})
  void bundlesFromBeforeTrainersWerePlugInsStillLoadAndScoreTheSame(String trainer)
      throws Exception {
    String name = trainer.toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    byte[] bytes = resource("/bundles/" + name + ".bin");
    double[] expected =
        new String(resource("/bundles/" + name + ".probabilities"), StandardCharsets.UTF_8)
            .lines()
            .mapToDouble(Double::parseDouble)
            .toArray();
    ModelBundle loaded = CODEC.deserialize(bytes, refTo(bytes));
    assertThat(loaded.trainer()).isEqualTo(trainer);
    assertThat(loaded.predictProba(toy(5, 8))).containsExactly(expected);

    // And the trainers fit exactly those models again from the same rows, settings and seed.
    Hyperparameters same =
        new Hyperparameters(trainer, 5, 3, 4, null, null, null, null, null, null, null);
    ModelBundle retrained = TRAINERS.train(toy(200, 7), same, TrainingProgress.NONE);
    assertThat(retrained.predictProba(toy(5, 8))).containsExactly(expected);
  }

  private static byte[] resource(String path) throws Exception {
    try (var in = ModelCodecTest.class.getResourceAsStream(path)) {
      return in.readAllBytes();
    }
  }

  @Test
  void changedBytesAreRefusedBeforeDeserialization() {
    byte[] bytes =
        ModelCodec.serialize(
            TRAINERS.train(
                toy(200, 2),
                Hyperparameters.of(Hyperparameters.LOGISTIC_REGRESSION),
                TrainingProgress.NONE));
    ObjectRef ref = refTo(bytes);
    bytes[bytes.length / 2] ^= 0x10;
    assertThatThrownBy(() -> CODEC.deserialize(bytes, ref))
        .isInstanceOf(IntegrityException.class)
        .hasMessageContaining("does not match its recorded SHA-256");
  }

  @Test
  void classesOutsideTheAllowlistAreRefusedAndNamed() throws Exception {
    // A stream with a correct checksum but a class a model never holds.
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ObjectOutputStream o = new ObjectOutputStream(out)) {
      o.writeObject(new File("/etc/passwd"));
    }
    byte[] bytes = out.toByteArray();
    assertThatThrownBy(() -> CODEC.deserialize(bytes, refTo(bytes)))
        .isInstanceOf(IntegrityException.class)
        .hasMessageContaining("refused by the deserialization allowlist")
        .hasMessageContaining("class java.io.File");
  }

  /** A model no trainer declares: serializable, harmless, and still not admitted. */
  static final class Undeclared implements ScoringModel {
    private static final long serialVersionUID = 1L;

    @Override
    public double[] probabilities(double[][] rows) {
      return new double[rows.length];
    }
  }

  @Test
  void aModelClassNoTrainerDeclaresIsRefusedAndNamed() {
    Table t = toy(50, 4);
    byte[] bytes =
        ModelCodec.serialize(
            new ModelBundle("acme-nothing", FeatureEncoder.fit(t, false), new Undeclared()));
    assertThatThrownBy(() -> CODEC.deserialize(bytes, refTo(bytes)))
        .isInstanceOf(IntegrityException.class)
        .hasMessageContaining("refused by the deserialization allowlist")
        .hasMessageContaining("class " + Undeclared.class.getName());
    // Declared by a trainer, exactly that class loads, and nothing more.
    ModelCodec widened =
        new ModelCodec(List.of(Undeclared.class.getName()), getClass().getClassLoader());
    assertThat(widened.deserialize(bytes, refTo(bytes)).model()).isInstanceOf(Undeclared.class);
    assertThat(widened.allowlist()).endsWith(Undeclared.class.getName() + ";!*");
  }

  @Test
  void theEncoderHandlesMissingUnknownAndAbsentColumns() {
    Table t = toy(300, 3);
    t.numeric(0)[0] = Double.NaN;
    FeatureEncoder trees = FeatureEncoder.fit(t, false);
    assertThat(trees.names()).containsExactly("x", "x__missing", "c");
    FeatureEncoder linear = FeatureEncoder.fit(t, true);
    assertThat(linear.names()).containsExactly("x", "x__missing", "c=a", "c=b");

    Map<String, Object> unknown = new HashMap<>();
    unknown.put("c", "zzz");
    double[] codes = trees.encode(unknown);
    assertThat(codes[1]).as("missing x flagged").isEqualTo(1);
    assertThat(codes[2]).as("unknown category gets the extra code").isEqualTo(2);
    double[] onehot = linear.encode(unknown);
    assertThat(onehot[2]).isZero();
    assertThat(onehot[3]).isZero();
  }
}
