package dev.perennial.core.training.builtin;

import dev.perennial.core.training.ScoringModel;
import java.io.Serial;
import java.util.Objects;
import smile.classification.Classifier;
import smile.classification.DataFrameClassifier;
import smile.data.DataFrame;

/**
 * A soft Smile classifier as a {@link ScoringModel}: either one that scores rows of a data frame
 * (the tree learners) or one that scores {@code double[]} vectors (the linear ones). Its classes
 * are on the base allowlist, so a user's trainer built on Smile can return one and declare no model
 * classes of its own.
 */
public final class SmileModel implements ScoringModel {
  @Serial private static final long serialVersionUID = 1L;

  private final DataFrameClassifier frameModel;
  private final String[] names;
  private final Classifier<double[]> vectorModel;

  private SmileModel(
      DataFrameClassifier frameModel, String[] names, Classifier<double[]> vectorModel) {
    this.frameModel = frameModel;
    this.names = names;
    this.vectorModel = vectorModel;
  }

  /** A model fitted on a data frame whose columns are {@code names} (and the label). */
  public static SmileModel ofDataFrame(DataFrameClassifier model, String[] names) {
    return new SmileModel(Objects.requireNonNull(model, "model"), names.clone(), null);
  }

  /** A model fitted on vectors. */
  public static SmileModel ofVectors(Classifier<double[]> model) {
    return new SmileModel(null, null, Objects.requireNonNull(model, "model"));
  }

  @Override
  public double[] probabilities(double[][] x) {
    double[] p = new double[x.length];
    double[] posterior = new double[2];
    if (frameModel != null) {
      if (x.length == 0) {
        return p;
      }
      DataFrame frame = DataFrame.of(x, names);
      for (int i = 0; i < x.length; i++) {
        frameModel.predict(frame.get(i), posterior);
        p[i] = posterior[1];
      }
    } else {
      for (int i = 0; i < x.length; i++) {
        vectorModel.predict(x[i], posterior);
        p[i] = posterior[1];
      }
    }
    return p;
  }
}
