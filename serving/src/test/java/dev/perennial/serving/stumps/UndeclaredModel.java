package dev.perennial.serving.stumps;

import dev.perennial.core.training.ScoringModel;
import java.io.Serial;

/**
 * A serializable model beside {@link StumpModel} that no trainer declares: the allowlist must not
 * admit it, though its package neighbour is admitted.
 */
public final class UndeclaredModel implements ScoringModel {
  @Serial private static final long serialVersionUID = 1L;

  @Override
  public double[] probabilities(double[][] rows) {
    return new double[rows.length];
  }
}
