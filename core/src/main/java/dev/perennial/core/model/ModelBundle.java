package dev.perennial.core.model;

import dev.perennial.core.data.Table;
import dev.perennial.core.training.ScoringModel;
import java.io.Serial;
import java.io.Serializable;
import java.util.Map;
import java.util.Objects;

/**
 * A trained model as stored: the name of the trainer that fitted it, the encoder fitted on its
 * training rows and the trainer's model, so scoring needs nothing else.
 */
public final class ModelBundle implements Serializable {
  @Serial private static final long serialVersionUID = 2L;

  private final String trainer;
  private final FeatureEncoder encoder;
  private final ScoringModel model;

  public ModelBundle(String trainer, FeatureEncoder encoder, ScoringModel model) {
    this.trainer = Objects.requireNonNull(trainer, "trainer");
    this.encoder = Objects.requireNonNull(encoder, "encoder");
    this.model = Objects.requireNonNull(model, "model");
  }

  /** The name of the trainer that fitted the model. */
  public String trainer() {
    return trainer;
  }

  public FeatureEncoder encoder() {
    return encoder;
  }

  public ScoringModel model() {
    return model;
  }

  /** Rows encoded and scored at a time: the encoded copy stays a few MB however many rows. */
  static final int CHUNK = 16_384;

  /** Probability of class 1 for every row. */
  public double[] predictProba(Table table) {
    return predictProba(table, null);
  }

  /**
   * Probability of class 1 for the rows of {@code table} at the indices {@code rows} (null: every
   * row), in that order; encoded and scored {@value #CHUNK} rows at a time.
   */
  public double[] predictProba(Table table, int[] rows) {
    int n = rows == null ? table.rows() : rows.length;
    double[] p = new double[n];
    int[] chunk = null;
    for (int from = 0; from < n; from += CHUNK) {
      int to = Math.min(n, from + CHUNK);
      if (chunk == null || chunk.length != to - from) {
        chunk = new int[to - from];
      }
      for (int i = from; i < to; i++) {
        chunk[i - from] = rows == null ? i : rows[i];
      }
      System.arraycopy(predictProba(encoder.encode(table, chunk)), 0, p, from, to - from);
    }
    return p;
  }

  /** Probability of class 1 for one row given by column name. */
  public double predictProba(Map<String, ?> row) {
    return predictProba(new double[][] {encoder.encode(row)})[0];
  }

  double[] predictProba(double[][] x) {
    if (x.length == 0) {
      return new double[0];
    }
    double[] p = model.probabilities(x);
    if (p == null || p.length != x.length) {
      throw new IllegalStateException(
          "the "
              + trainer
              + " model gave "
              + (p == null ? "nothing" : p.length + " probabilities")
              + " for "
              + x.length
              + " rows");
    }
    return p;
  }
}
