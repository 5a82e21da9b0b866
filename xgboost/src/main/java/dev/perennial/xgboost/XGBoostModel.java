package dev.perennial.xgboost;

import dev.perennial.core.training.ScoringModel;
import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.Serial;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * What {@link XGBoostTrainer} fits: the booster in XGBoost's own binary JSON format (UBJSON), and
 * how many of its rounds to use. The native booster is never Java-serialized; it is loaded from
 * those bytes on the first prediction and shared by every thread after (XGBoost's prediction on a
 * loaded tree model is thread-safe).
 */
public final class XGBoostModel implements ScoringModel {
  @Serial private static final long serialVersionUID = 1L;

  /** The format {@link Booster#toByteArray(String)} wrote {@link #booster} in. */
  static final String FORMAT = "ubj";

  private final byte[] booster;
  private final int rounds;
  private final int columns;
  private transient volatile Booster loaded;

  XGBoostModel(byte[] booster, int rounds, int columns) {
    this.booster = booster.clone();
    this.rounds = rounds;
    this.columns = columns;
  }

  /** The boosting rounds the model predicts with (the best round's, when it stopped early). */
  public int rounds() {
    return rounds;
  }

  /** The booster as XGBoost saves it (UBJSON): loadable by any XGBoost binding. */
  public byte[] boosterBytes() {
    return booster.clone();
  }

  @Override
  public double[] probabilities(double[][] rows) {
    double[] p = new double[rows.length];
    if (rows.length == 0) {
      return p;
    }
    float[] flat = new float[rows.length * columns];
    for (int i = 0; i < rows.length; i++) {
      if (rows[i].length != columns) {
        throw new IllegalArgumentException(
            "row " + i + " has " + rows[i].length + " columns, the model " + columns);
      }
      for (int j = 0; j < columns; j++) {
        flat[i * columns + j] = (float) rows[i][j];
      }
    }
    try {
      float[][] out = booster().inplace_predict(flat, rows.length, columns, Float.NaN, range());
      for (int i = 0; i < p.length; i++) {
        p[i] = out[i][0];
      }
      return p;
    } catch (XGBoostError e) {
      throw new IllegalStateException("XGBoost could not score " + rows.length + " rows", e);
    }
  }

  private int[] range() {
    return new int[] {0, rounds};
  }

  private Booster booster() throws XGBoostError {
    Booster b = loaded;
    if (b == null) {
      synchronized (this) {
        b = loaded;
        if (b == null) {
          NativeXGBoost.problem()
              .ifPresent(
                  why -> {
                    throw new IllegalStateException(NativeXGBoost.unavailable(why));
                  });
          try {
            b = XGBoost.loadModel(booster);
          } catch (IOException e) {
            throw new IllegalStateException("cannot read the stored XGBoost model", e);
          }
          // The first prediction configures the learner; do it here, on one thread.
          b.inplace_predict(new float[columns], 1, columns, Float.NaN, range());
          loaded = b;
        }
      }
    }
    return b;
  }

  @Serial
  private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
    in.defaultReadObject();
    if (booster == null || booster.length == 0 || rounds < 1 || columns < 1) {
      throw new InvalidObjectException(
          "an XGBoost model needs its booster bytes, 1 round or more and 1 column or more");
    }
  }
}
