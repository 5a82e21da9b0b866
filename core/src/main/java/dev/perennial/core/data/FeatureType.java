package dev.perennial.core.data;

/** Column kinds a feature schema knows. */
public enum FeatureType {
  /** A number; empty cell = missing. */
  NUMERIC,
  /** A string from a known set; empty cell = missing. */
  CATEGORICAL
}
