package dev.perennial.workflows.dataset;

import dev.perennial.workflows.RequestProblems;
import java.util.List;

/**
 * Which data a pipeline reads: daily partitions under {@code prefix}, laid out as {@code
 * <prefix>dt=YYYY-MM-DD/<file>.csv.gz} (or {@code .csv}), described by a schema file.
 *
 * <p>With {@code from}/{@code to} unset the latest {@code lastDays} partitions are used; the
 * snapshot records which dates that resolved to, so a run is reproducible.
 *
 * @param bucket data bucket (default {@code perennial-data})
 * @param prefix object prefix ending in '/', default {@code <model>/}
 * @param from first day, inclusive, ISO date, optional
 * @param to last day, inclusive, ISO date, optional
 * @param lastDays how many latest partitions to use when no range is given (default 30)
 * @param schemaKey key of the schema JSON in the same bucket (default {@code <prefix>_schema.json})
 */
public record DatasetSpec(
    String bucket, String prefix, String from, String to, Integer lastDays, String schemaKey) {

  public static final String DEFAULT_BUCKET = "perennial-data";
  public static final int DEFAULT_LAST_DAYS = 30;

  /** The default dataset of a model. */
  public static DatasetSpec forModel(String model) {
    return new DatasetSpec(null, null, null, null, null, null).withDefaults(model);
  }

  public DatasetSpec withDefaults(String model) {
    String p = prefix == null || prefix.isBlank() ? model + "/" : prefix;
    if (!p.endsWith("/")) {
      p = p + "/";
    }
    return new DatasetSpec(
        bucket == null || bucket.isBlank() ? DEFAULT_BUCKET : bucket,
        p,
        from,
        to,
        lastDays == null ? DEFAULT_LAST_DAYS : lastDays,
        schemaKey == null || schemaKey.isBlank() ? p + "_schema.json" : schemaKey);
  }

  /** Problems with this spec, each naming its field under {@code path}. */
  public List<String> problems(String path) {
    RequestProblems p = new RequestProblems();
    p.require(bucket == null || !bucket.isBlank(), path + ".bucket", "must not be blank");
    p.isoDate(path + ".from", from).isoDate(path + ".to", to);
    if (from != null && to != null && from.compareTo(to) > 0) {
      p.require(false, path + ".from", "must not be after " + path + ".to (" + to + ")");
    }
    p.range(path + ".lastDays", lastDays, 1, 3660);
    return p.list();
  }
}
