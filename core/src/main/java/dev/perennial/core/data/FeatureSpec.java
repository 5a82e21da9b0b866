package dev.perennial.core.data;

import java.util.List;

/**
 * One feature column of a schema.
 *
 * @param name column name in the CSV header
 * @param type numeric or categorical
 * @param min smallest valid value (numeric, optional)
 * @param max largest valid value (numeric, optional)
 * @param categories the known values (categorical)
 * @param maxMissingRate per-column override of the dataset-wide missing-value limit (optional)
 */
public record FeatureSpec(
    String name,
    FeatureType type,
    Double min,
    Double max,
    List<String> categories,
    Double maxMissingRate) {

  public static FeatureSpec numeric(String name, double min, double max, Double maxMissingRate) {
    return new FeatureSpec(name, FeatureType.NUMERIC, min, max, null, maxMissingRate);
  }

  public static FeatureSpec categorical(
      String name, List<String> categories, Double maxMissingRate) {
    return new FeatureSpec(
        name, FeatureType.CATEGORICAL, null, null, List.copyOf(categories), maxMissingRate);
  }
}
