package dev.perennial.core.training;

/** How rows become the numbers a trainer fits on; the encoder is stored with the model. */
public enum Encoding {
  /**
   * For trees: numbers as they are, missing ones as the training median plus a 0/1 "was missing"
   * column; one code per known category, one more for unknown or missing.
   */
  ORDINAL,

  /**
   * For linear models: numbers standardised (missing as above), categories one-hot over the known
   * ones (unknown = all zeros).
   */
  ONE_HOT
}
