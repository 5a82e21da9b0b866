package dev.perennial.core.training;

import java.io.Serializable;

/**
 * What a {@link Trainer} fits: serialized into the version's bundle and loaded by the model server,
 * so it and everything it holds must be serializable and named by {@link Trainer#modelClasses()}
 * (unless Perennial's, Smile's or JDK value types).
 */
public interface ScoringModel extends Serializable {

  /** The probability of class 1 for each encoded row (columns as at training). */
  double[] probabilities(double[][] rows);
}
