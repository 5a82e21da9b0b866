package dev.perennial.core.model;

import dev.perennial.core.data.Table;
import dev.perennial.workflows.training.Algorithm;
import java.io.Serial;
import java.io.Serializable;
import java.util.Map;
import smile.classification.Classifier;
import smile.classification.DataFrameClassifier;
import smile.data.DataFrame;

/**
 * A trained model as stored: the Smile classifier together with the encoder fitted on its training
 * rows, so scoring needs nothing else.
 */
public final class ModelBundle implements Serializable {
  @Serial private static final long serialVersionUID = 1L;

  private final Algorithm algorithm;
  private final FeatureEncoder encoder;
  private final DataFrameClassifier trees;
  private final Classifier<double[]> linear;

  private ModelBundle(
      Algorithm algorithm,
      FeatureEncoder encoder,
      DataFrameClassifier trees,
      Classifier<double[]> linear) {
    this.algorithm = algorithm;
    this.encoder = encoder;
    this.trees = trees;
    this.linear = linear;
  }

  static ModelBundle ofTrees(
      Algorithm algorithm, FeatureEncoder encoder, DataFrameClassifier model) {
    return new ModelBundle(algorithm, encoder, model, null);
  }

  static ModelBundle ofLinear(FeatureEncoder encoder, Classifier<double[]> model) {
    return new ModelBundle(Algorithm.LOGISTIC_REGRESSION, encoder, null, model);
  }

  public Algorithm algorithm() {
    return algorithm;
  }

  public FeatureEncoder encoder() {
    return encoder;
  }

  /** Probability of class 1 for every row. */
  public double[] predictProba(Table table) {
    return predictProba(encoder.encode(table));
  }

  /** Probability of class 1 for one row given by column name. */
  public double predictProba(Map<String, ?> row) {
    return predictProba(new double[][] {encoder.encode(row)})[0];
  }

  double[] predictProba(double[][] x) {
    double[] p = new double[x.length];
    if (trees != null) {
      if (x.length == 0) {
        return p;
      }
      DataFrame frame = DataFrame.of(x, encoder.names());
      double[] posterior = new double[2];
      for (int i = 0; i < x.length; i++) {
        trees.predict(frame.get(i), posterior);
        p[i] = posterior[1];
      }
    } else {
      double[] posterior = new double[2];
      for (int i = 0; i < x.length; i++) {
        linear.predict(x[i], posterior);
        p[i] = posterior[1];
      }
    }
    return p;
  }
}
