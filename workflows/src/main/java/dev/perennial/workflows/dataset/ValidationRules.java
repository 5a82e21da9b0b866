package dev.perennial.workflows.dataset;

import dev.perennial.workflows.RequestProblems;
import java.util.List;

/**
 * Hard data-quality rules; breaking any of them ends the run. Per-column limits in the schema file
 * take precedence over these dataset-wide defaults.
 *
 * @param minRows minimum number of rows in the snapshot (default 1000)
 * @param maxMissingRate default maximum share of missing values per column (default 0.2)
 * @param maxOutOfRangeRate maximum share of numeric values outside the schema's [min, max] (default
 *     0.001)
 * @param maxUnknownCategoryRate maximum share of categorical values not in the schema's set
 *     (default 0.01)
 * @param minLabelRate minimum share of positive labels (default 0.01)
 * @param maxLabelRate maximum share of positive labels (default 0.99)
 */
public record ValidationRules(
    Long minRows,
    Double maxMissingRate,
    Double maxOutOfRangeRate,
    Double maxUnknownCategoryRate,
    Double minLabelRate,
    Double maxLabelRate) {

  public static ValidationRules defaults() {
    return new ValidationRules(null, null, null, null, null, null).withDefaults();
  }

  public ValidationRules withDefaults() {
    return new ValidationRules(
        minRows == null ? 1000L : minRows,
        maxMissingRate == null ? 0.2 : maxMissingRate,
        maxOutOfRangeRate == null ? 0.001 : maxOutOfRangeRate,
        maxUnknownCategoryRate == null ? 0.01 : maxUnknownCategoryRate,
        minLabelRate == null ? 0.01 : minLabelRate,
        maxLabelRate == null ? 0.99 : maxLabelRate);
  }

  public List<String> problems(String path) {
    return new RequestProblems()
        .range(path + ".minRows", minRows, 1, Long.MAX_VALUE)
        .range(path + ".maxMissingRate", maxMissingRate, 0, 1)
        .range(path + ".maxOutOfRangeRate", maxOutOfRangeRate, 0, 1)
        .range(path + ".maxUnknownCategoryRate", maxUnknownCategoryRate, 0, 1)
        .range(path + ".minLabelRate", minLabelRate, 0, 1)
        .range(path + ".maxLabelRate", maxLabelRate, 0, 1)
        .list();
  }
}
