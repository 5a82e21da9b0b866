package dev.perennial.core.model.legacy;

import dev.perennial.core.model.FeatureEncoder;
import dev.perennial.core.training.ScoringModel;
import dev.perennial.core.training.builtin.SmileModel;
import java.io.Serial;
import java.io.Serializable;
import smile.classification.Classifier;
import smile.classification.DataFrameClassifier;

/**
 * A bundle as stored before trainers were plug-ins (an algorithm enum and one of two Smile model
 * fields). {@link dev.perennial.core.model.ModelCodec} reads such streams into this class, which
 * resolves itself to the current {@link dev.perennial.core.model.ModelBundle}, so versions trained
 * earlier still serve and still compete as champions. Never written.
 */
public final class ModelBundle implements Serializable {
  @Serial private static final long serialVersionUID = 1L;

  /** The name older streams give this class. */
  public static final String STORED_NAME = "dev.perennial.core.model.ModelBundle";

  private Algorithm algorithm;
  private FeatureEncoder encoder;
  private DataFrameClassifier trees;
  private Classifier<double[]> linear;

  private ModelBundle() {}

  @Serial
  private Object readResolve() {
    ScoringModel model =
        trees != null
            ? SmileModel.ofDataFrame(trees, encoder.names())
            : SmileModel.ofVectors(linear);
    return new dev.perennial.core.model.ModelBundle(algorithm.name(), encoder, model);
  }
}
