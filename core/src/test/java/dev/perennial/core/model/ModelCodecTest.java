package dev.perennial.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perennial.core.data.FeatureSchema;
import dev.perennial.core.data.FeatureSpec;
import dev.perennial.core.data.Table;
import dev.perennial.core.store.IntegrityException;
import dev.perennial.core.store.Sha256;
import dev.perennial.workflows.ObjectRef;
import dev.perennial.workflows.training.Algorithm;
import dev.perennial.workflows.training.Hyperparameters;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.ObjectOutputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ModelCodecTest {
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
  @EnumSource(Algorithm.class)
  void roundTripGivesTheSamePredictions(Algorithm algorithm) {
    Table t = toy(600, 1);
    ModelBundle bundle =
        new SmileTrainer().train(t, Hyperparameters.of(algorithm), TrainingProgress.NONE);
    byte[] bytes = ModelCodec.serialize(bundle);
    ModelBundle loaded = ModelCodec.deserialize(bytes, refTo(bytes));
    assertThat(loaded.predictProba(t)).containsExactly(bundle.predictProba(t));
    assertThat(loaded.algorithm()).isEqualTo(algorithm);
    Map<String, Object> row = new HashMap<>();
    row.put("x", 1.5);
    row.put("c", "b");
    assertThat(loaded.predictProba(row)).isGreaterThan(0.5);
  }

  @Test
  void changedBytesAreRefusedBeforeDeserialization() {
    byte[] bytes =
        ModelCodec.serialize(
            new SmileTrainer()
                .train(
                    toy(200, 2),
                    Hyperparameters.of(Algorithm.LOGISTIC_REGRESSION),
                    TrainingProgress.NONE));
    ObjectRef ref = refTo(bytes);
    bytes[bytes.length / 2] ^= 0x10;
    assertThatThrownBy(() -> ModelCodec.deserialize(bytes, ref))
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
    assertThatThrownBy(() -> ModelCodec.deserialize(bytes, refTo(bytes)))
        .isInstanceOf(IntegrityException.class)
        .hasMessageContaining("refused by the deserialization allowlist")
        .hasMessageContaining("class java.io.File");
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
